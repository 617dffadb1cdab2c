// The same network and table as residual-overwrite-fails, registers in precise mode: every element-wise
// input keeps its calibrated scale (the fused sum converts the skip in the SDP), nothing clips, the gate passes.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
assert !log.contains("because sum 'sum1' takes") : 'precise mode overwrites nothing'
def summary = log.readLines().find { it.startsWith('[INFO] nvdla-int8: compiler vs precise mode on this network') }
assert summary != null && summary.contains("compiler: worst SQNR") : summary
def report = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/nvdla-int8/report.json'))
assert report.registers.mode == 'precise'
def stem = report.tensors.find { it.name == 'stem' }
assert stem.runScale == stem.calibratedScale && stem.overwrittenBy == null
assert report.violations == []
assert report.verification.passed
// the comparison: compiler mode clips stem by more than the gate allows, precise mode nowhere
def cmp = report.modeComparison
assert cmp.verifiedMode == 'precise' && cmp.overwrittenTensors == ['stem']
assert cmp.compiler.maxClippedLayer == 'stem' && cmp.compiler.maxClippedFraction > 0.01
assert cmp.precise.maxClippedFraction == 0
def row = cmp.tensors.find { it.tensor == 'stem' }
assert row.precise.sqnrDb > row.compiler.sqnrDb + 20
def registers = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/generated-resources/nvdla-int8/registers.json'))
def fused = registers.layers.find { it.name == 'b1b' }
assert fused.graphLayers == ['b1b', 'sum1', 'sum1_relu']
// X2 (BN) adds the skip shifted onto the fine grid: ALU source memory, shift > 0
def bnAlu = fused.registers.find { it.name == 'D_DP_BN_ALU_CFG' }
assert bnAlu.fields.BN_ALU_SRC == 1 && bnAlu.fields.BN_ALU_SHIFT_VALUE > 0
return true
