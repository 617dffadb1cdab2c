def log = new File(basedir, 'build.log').text
// the failure names the op and the layer
assert log =~ /net\.prototxt.*LRN/
assert log.contains('norm1')
assert log.contains('BUILD FAILURE')
assert !log.contains('Exception in thread')
assert !new File(basedir, 'target/generated-resources/nvdla-int8/calibration.cache').exists()
return true
