def log = new File(basedir, 'build.log').text
// the comma is missing after "min": 1.0 on line 4; the parser stops at the next token, column 31
assert log =~ /stats\.json:4:\d+: /
assert log.contains('BUILD FAILURE')
assert !log.contains('Exception in thread')
assert !new File(basedir, 'target/generated-resources/nvdla-int8/calibration.cache').exists()
return true
