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

// registers (defaults: compiler mode, per-filter weights, image input, nv_small); docs/nvdla-compiler.md
// docs/nvdla-compiler.md#what-was-checked-against-the-real-compiler: the real compiler's per-filter conv1 X1 truncate
// is 23, conv2's first multipliers 13581, 11813
def registers = new groovy.json.JsonSlurper().parse(new File(out, 'registers.json'))
assert registers.mode == 'compiler' && registers.weightQuantization == 'per-filter' && registers.hardware == 'nv_small'
def conv1 = registers.layers.find { it.name == 'conv1' }
assert conv1.registers.find { it.name == 'D_DP_BS_MUL_CFG' }.fields.BS_MUL_SHIFT_VALUE == 23
assert registers.layers.find { it.name == 'conv2' }.operands[0].mul[0..1] == [13581, 11813]
assert new File(out, 'registers/conv1.cfg').isFile()
assert log.contains("[WARNING] nvdla-int8: registers: layer 'data': INPUT_SCALING_MISMATCH") : 'image input recipe'
assert report.registers.file == 'registers.json'
assert report.layers.find { it.name == 'conv1' }.requant.shift.every { it == 23 }

def jar = new JarFile(new File(basedir, 'target/caffe-lenet-1.0.jar'))
try {
    assert jar.getInputStream(jar.getEntry('nvdla-int8/calibtable.json')).text == table.text
    assert jar.getEntry('nvdla-int8/calibration.cache') != null
    assert jar.getInputStream(jar.getEntry('nvdla-int8/registers.json')).text == new File(out, 'registers.json').text
    assert jar.getEntry('nvdla-int8/registers/conv1.cfg') != null
    assert jar.getEntry('nvdla-int8/registers/conv1.dat') != null
} finally {
    jar.close()
}
// the INT8 verification ran on the real LeNet (synthetic mode) and the gate passed with ip1's rule
def xml = new groovy.xml.XmlSlurper().parse(new File(basedir, 'target/nvdla-int8/TEST-nvdla-int8.xml'))
assert xml.@failures == '0'
assert xml.testcase.find { it.@classname == 'nvdla-int8.ip1' && it.@name == 'maxSaturation' }.size() == 1
return true
