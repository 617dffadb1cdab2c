// the gate-fails project with -Dnvdla-int8.failOnViolation=false: warns, passes
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
def warning = log.readLines().find { it.startsWith('[WARNING] nvdla-int8: INT8 gate (failOnViolation=false):') }
assert warning != null : 'no gate warning'
assert warning.contains("layer 'wide_conv' maxSaturation") : warning
def xml = new groovy.xml.XmlSlurper().parse(new File(basedir, 'target/nvdla-int8/TEST-nvdla-int8.xml'))
def tc = xml.testcase.find { it.@classname == 'nvdla-int8.wide_conv' && it.@name == 'maxSaturation' }
assert tc.failure.@type == 'warning'
def report = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/nvdla-int8/report.json'))
assert report.violations*.layer == ['wide_conv']
assert report.verification.failOnViolation == false && report.verification.passed
return true
