// the gate-fails project with <layerRule><layer>wide_conv</layer><maxSaturation>0.9</maxSaturation>
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
assert !log.contains('gate violation in layer')
def xml = new groovy.xml.XmlSlurper().parse(new File(basedir, 'target/nvdla-int8/TEST-nvdla-int8.xml'))
assert xml.@failures == '0'
def tc = xml.testcase.find { it.@classname == 'nvdla-int8.wide_conv' && it.@name == 'maxSaturation' }
assert tc.size() == 1 && tc.failure.size() == 0
def report = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/nvdla-int8/report.json'))
assert report.violations == []
assert report.verification.passed
assert report.layers.find { it.name == 'relu' }.clippedFraction > 0.01
return true
