import java.util.jar.JarFile

// model.onnx: x -> wide_conv (4 filters, max |w| 1, 2^-4, 2^-8, 2^-13) -> c -> Relu -> y.
// Per-filter factors Si*Sw[k]/So span 2^13; under the one shift the layer shares, channel 3 keeps
// about 15 - 13 = 2 multiplier bits, more than maxMantissaBitsLost = 10 lost.
def log = new File(basedir, 'build.log').text
def warning = log.readLines().find { it.contains('MANTISSA_BITS_LOST') }
assert warning != null : 'no lost-bits warning in build.log'
assert warning.startsWith("[WARNING] nvdla-int8: registers: layer 'wide_conv': MANTISSA_BITS_LOST: channel") : warning
assert warning.contains('(more than 10 lost)') : warning

def out = new File(basedir, 'target/generated-resources/nvdla-int8')
def registers = new groovy.json.JsonSlurper().parse(new File(out, 'registers.json'))
assert registers.format == 'nvdla-int8-registers'
assert registers.mode == 'compiler' && registers.weightQuantization == 'per-filter' && registers.inputFormat == 'feature'
def conv = registers.layers.find { it.name == 'wide_conv' }
assert conv.diagnostics*.code.contains('MANTISSA_BITS_LOST')
assert new File(out, 'registers/wide_conv.cfg').isFile()

def report = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/nvdla-int8/report.json'))
assert report.diagnostics.find { it.layer == 'wide_conv' && it.code == 'MANTISSA_BITS_LOST' }.severity == 'WARNING'

def jar = new JarFile(new File(basedir, 'target/lost-bits-warning-1.0.jar'))
try {
    assert jar.getInputStream(jar.getEntry('nvdla-int8/registers.json')).text == new File(out, 'registers.json').text
    assert jar.getEntry('nvdla-int8/registers/wide_conv.cfg') != null
    assert jar.getEntry('nvdla-int8/registers/wide_conv.dat') != null
} finally {
    jar.close()
}
return true
