// Builds a trace whose golden CRC is deliberately wrong, from a hardware fixture, at test time
// (fixtures are never copied into the repository). basedir = <project>/target/it/simulate-mismatch.
def shared = new File(basedir, '../../../../shared').canonicalFile
def source = new File(shared, 'fixtures/nvdla-traces/nv_small/dc_1x1x8_1x1x8x1_int8_0')
assert source.isDirectory() : "fixture not found: ${source}"
def target = new File(basedir, 'corrupt')
target.mkdirs()
source.eachFile { f ->
    def text = f.text
    if (f.name.endsWith('.cfg')) {
        assert text.contains('0x8f68a2ae')
        text = text.replace('0x8f68a2ae', '0x12345678')
    }
    new File(target, f.name).text = text
}
return true
