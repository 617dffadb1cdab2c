import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('[ERROR] MISMATCH dc_1x1x8_1x1x8x1_int8_0 0xa0000000+0x8 expected 0x12345678 actual 0x8f68a2ae')
assert log.contains('1 of 1 trace(s) do not match their golden CRC: dc_1x1x8_1x1x8x1_int8_0')
assert log.contains('BUILD FAILURE')
def summary = new JsonSlurper().parse(new File(basedir, 'target/nvdla-int8/simulate/summary.json'))
assert summary.mismatched == 1
assert summary.traces[0].checks[0].match == false
assert summary.traces[0].checks[0].actual == '0x8f68a2ae'
return true
