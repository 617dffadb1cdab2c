import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def expected = [
    'dc_13x15x64_5x3x64x16_int8_0 0x90000000+0x1500 expected 0x8c467827 actual 0x8c467827',
    'dc_14x7x49_3x4x49x32_int8_0 0x800001a0+0x2a00 expected 0x6f902382 actual 0x6f902382',
    'dc_1x1x8_1x1x8x1_int8_0 0xa0000000+0x8 expected 0x8f68a2ae actual 0x8f68a2ae',
    'dc_8x8x36_4x4x36x16_dilation_int8_0 0xa0000000+0x500 expected 0xbdfa62b8 actual 0xbdfa62b8',
    'sdp_8x8x32_bypass_int8_0 0x80080000+0x800 expected 0xf1e8ba9e actual 0xf1e8ba9e',
    'dc_13x15x64_5x3x64x16_int8_0_rdma0 ',
    'dc_13x15x64_5x3x64x16_int8_0_v0 ',
    'dc_8x8x32_1x1x32x32_int8_0 ',
]
expected.each { assert log.contains('MATCH ' + it) : "missing MATCH line for ${it}" }
assert !log.contains('MISMATCH ')
assert !log.contains('UNSUPPORTED ')
assert log.count('[INFO] MATCH ') == 13

def summaries = ['nv_small': 10, 'nv_small_rtl': 2, 'nv_large': 1]
summaries.each { dir, traces ->
    def summary = new JsonSlurper().parse(new File(basedir, "target/sim/${dir}/summary.json"))
    assert summary.traces.size() == traces
    assert summary.matched == traces
    assert summary.mismatched == 0
    summary.traces.each { t ->
        assert t.status == 'MATCH'
        t.checks.each { c -> assert c.match && c.golden == c.actual }
        assert t.predictedCounters != null
        t.outputs.each { f -> assert new File(basedir, "target/sim/${dir}/" + f).isFile() }
    }
}
def large = new JsonSlurper().parse(new File(basedir, 'target/sim/nv_large/summary.json'))
assert large.hardware == 'nv_large'
assert large.traces[0].checks[0].golden == '0xf1e8ba9e'
return true
