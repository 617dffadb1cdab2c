assert basedir.path.contains(' ')
def cache = new File(basedir, 'target/generated-resources/nvdla-int8/calibration.cache')
assert cache.isFile()
assert cache.text.startsWith('TRT-8601-EntropyCalibration2\ndata: ')
return true
