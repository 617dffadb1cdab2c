import java.util.jar.JarFile

def fixtures = new File(sharedDir, 'fixtures/caffe-lenet')
def out = new File(basedir, 'target/generated-resources/nvdla-int8')
def table = new File(out, 'calibtable.json')
def cache = new File(out, 'calibration.cache')
assert table.isFile() && cache.isFile()

// keyed exactly as nvdla_compiler looks it up: same keys, same order, same float32 scales
def expected = new groovy.json.JsonSlurper().parse(new File(fixtures, 'lenet.int8.json'))
def ours = new groovy.json.JsonSlurper().parse(table)
assert ours.keySet() as List == expected.keySet() as List
expected.each { key, entry ->
    assert (ours[key].scale as double) as float == (entry.scale as double) as float : key
}
// the TensorRT cache keeps TensorRT's names, order, header and bits
assert cache.text == new File(fixtures, 'lenet.calibration.table').text

def report = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/nvdla-int8/report.json'))
assert report.model.format == 'caffe' && report.model.name == 'LeNet'
assert report.layers*.name == ['conv1', 'pool1', 'conv2', 'pool2', 'ip1', 'relu1', 'ip2', 'prob']
assert report.scaleChanges == []

def log = new File(basedir, 'build.log').text
assert !log.contains('no weights given') : 'weights were given'

def jar = new JarFile(new File(basedir, 'target/caffe-lenet-1.0.jar'))
try {
    assert jar.getInputStream(jar.getEntry('nvdla-int8/calibtable.json')).text == table.text
    assert jar.getEntry('nvdla-int8/calibration.cache') != null
} finally {
    jar.close()
}
return true
