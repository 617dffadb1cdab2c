def log = new File(basedir, 'build.log').text
assert log.contains('nvdla-int8: skipped')
assert !new File(basedir, 'target/generated-resources/nvdla-int8/calibration.cache').exists()
assert !new File(basedir, 'target/nvdla-int8/report.json').exists()
return true
