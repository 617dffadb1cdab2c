def log = new File(basedir, 'build.log').text
assert log.contains('nvdla-int8:calibrate')
assert log.contains('nvdla-int8.statistics')
assert log.contains('nvdla-int8.method')
assert log.contains('BUILD SUCCESS')
return true
