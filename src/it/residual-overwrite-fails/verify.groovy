// Compiler mode (the default) on ResidualClipModel with unifyScales=false: nvdla_compiler's element-wise
// equalization gives the skip tensor 'stem' (calibrated amax 2.04) the branch b1b's scale (amax 0.3975), the
// verification runs that scale, more than 1% of stem's outputs clip and the default gate fails the build.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
def lines = log.readLines()
// one warning per overwritten tensor, naming its producer, the sum and the tensor whose scale it took
def warning = lines.find { it.startsWith("[WARNING] nvdla-int8: layer 'sum1': relu 'stem_relu' (tensor 'stem') calibrated amax 2.04 runs at amax 0.3975 because sum 'sum1' takes 'b1b''s scale: ") }
assert warning != null : 'no overwrite warning'
assert warning =~ /: [0-9.]+% of its outputs clip \(0% at its calibrated scale\)/ : warning
// the gate table row and the failure name the layer; the hint names the sum and the source of the scale
def row = lines.find { it.startsWith('[WARNING] nvdla-int8: stem ') }
assert row != null && row.contains('maxSaturation') && row.contains("sum 'sum1' gives 'stem' the scale of 'b1b'") : row
assert lines.any { it.contains('[ERROR]') && it.contains("gate violation in layer 'stem'") }
// every output is written before the gate fails
def report = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/nvdla-int8/report.json'))
assert report.registers.mode == 'compiler'
def stem = report.tensors.find { it.name == 'stem' }
assert stem.runScale < stem.calibratedScale
assert stem.overwrittenBy == [sum: 'sum1', tensor: 'b1b']
assert report.violations*.layer == ['stem']
assert report.violations[0].value > 0.01
assert report.modeComparison.compiler.maxClippedFraction > 0.01
assert report.modeComparison.precise.maxClippedFraction == 0
def xml = new groovy.xml.XmlSlurper().parse(new File(basedir, 'target/nvdla-int8/TEST-nvdla-int8.xml'))
assert xml.testcase.find { it.@classname == 'nvdla-int8.stem' && it.@name == 'maxSaturation' }.failure.size() == 1
return true
