// stats.json claims |c|, |y| <= 0.2, but filter 0 of wide_conv (1, -0.5, bias 0.01) reaches 1.51 for
// |x| <= 1: the hardware layer wide_conv (conv + ReLU, writes y) clips far more than 1% of its outputs.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
def row = log.readLines().find { it.startsWith('[WARNING] nvdla-int8: wide_conv ') }
assert row != null : 'no gate table row for wide_conv'
assert row.contains('maxSaturation') : row
assert log.readLines().any { it.contains('[ERROR]') && it.contains("gate violation in layer 'wide_conv'") }
// the gate fails after every output was written
def xml = new groovy.xml.XmlSlurper().parse(new File(basedir, 'target/nvdla-int8/TEST-nvdla-int8.xml'))
def tc = xml.testcase.find { it.@classname == 'nvdla-int8.wide_conv' && it.@name == 'maxSaturation' }
assert tc.failure.size() == 1
assert tc.failure.@type == 'error'
def report = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/nvdla-int8/report.json'))
assert report.violations*.layer == ['wide_conv']
assert report.violations[0].rule == 'maxSaturation'
assert report.verification.mode == 'synthetic'
assert new File(basedir, 'target/generated-resources/nvdla-int8/registers.json').isFile()
// a failed gate is never "up to date"
assert !new File(basedir, 'target/nvdla-int8/.calibrate.digest').exists()
return true
