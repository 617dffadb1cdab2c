import java.util.jar.JarFile

// model.onnx: x -> conv_a -> a, conv_b -> b; Concat(a, b) -> cat; conv_c/conv_d(cat) -> c, d;
// Add(c, d) -> res; MaxPool(res) -> y. Method max: amax = max(|min|, |max|) of stats.json.
// Shared scales: {a, b, cat} -> 5, {c, d} -> 7, {res, y} -> 9.
// numpy: struct.pack('>f', np.float32(a) / np.float32(127)).hex(): 1 3c010204, 5 3d214285, 7 3d61c387, 9 3d912245
def out = new File(basedir, 'target/generated-resources/nvdla-int8')
assert new File(out, 'calibration.cache').text == 'TRT-8601-EntropyCalibration2\n' +
        'x: 3c010204\na: 3d214285\nb: 3d214285\ncat: 3d214285\nc: 3d61c387\nd: 3d61c387\nres: 3d912245\ny: 3d912245\n'

def table = new groovy.json.JsonSlurper().parse(new File(out, 'calibtable.json'))
assert table.keySet() as List == ['x', 'a', 'b', 'cat', 'c', 'd', 'res', 'y']
def scale = { v -> Float.intBitsToFloat(Integer.parseUnsignedInt(v, 16)) }
assert (table.a.scale as double) as float == scale('3d214285')
assert (table.cat.scale as double) as float == scale('3d214285')
assert (table.c.scale as double) as float == scale('3d61c387')
assert (table.y.scale as double) as float == scale('3d912245')

def report = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/nvdla-int8/report.json'))
assert report.model.format == 'onnx'
assert report.scaleChanges*.tensor == ['a', 'cat', 'c', 'y']
assert report.scaleChanges*.newAmax == [5.0, 5.0, 7.0, 9.0]
assert report.layers*.name == ['conv_a', 'conv_b', 'cat', 'conv_c', 'conv_d', 'add', 'pool']
assert report.layers.find { it.name == 'add' }.inputScales.keySet() as List == ['c', 'd']

def jar = new JarFile(new File(basedir, 'target/onnx-model-1.0.jar'))
try {
    assert jar.getEntry('nvdla-int8/calibtable.json') != null
    // an ONNX model carries its weights: registers for every conv (feature-map input by default)
    assert jar.getEntry('nvdla-int8/registers.json') != null
    ['conv_a', 'conv_b', 'conv_c', 'conv_d'].each { assert jar.getEntry("nvdla-int8/registers/${it}.cfg".toString()) != null : it }
} finally {
    jar.close()
}
return true
