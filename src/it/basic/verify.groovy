import java.util.jar.JarFile

def out = new File(basedir, 'target/generated-resources/nvdla-int8')
def cache = new File(out, 'calibration.cache')
def table = new File(out, 'calibtable.json')
def report = new File(basedir, 'target/nvdla-int8/report.json')
assert cache.isFile() && table.isFile() && report.isFile()

def lines = cache.text.split('\n')
assert lines[0] == 'TRT-8601-EntropyCalibration2'
assert lines.size() == 4
assert lines[1].startsWith('data: ') && lines[2].startsWith('conv1: ')
// prob is overridden to amax 1.0: float32(1/127) = 0x3c010204
assert lines[3] == 'prob: 3c010204'

def json = new groovy.json.JsonSlurper().parse(table)
assert json.keySet() as List == ['data', 'conv1', 'prob']
def r = new groovy.json.JsonSlurper().parse(report)
assert r.format == 'nvdla-int8-report' && r.version == 1
assert r.tensors*.name == ['data', 'conv1', 'prob']

def jar = new JarFile(new File(basedir, 'target/basic-1.0.jar'))
try {
    assert jar.getEntry('nvdla-int8/calibration.cache') != null
    assert jar.getEntry('nvdla-int8/calibtable.json') != null
    assert jar.getEntry('nvdla-int8/report.json') == null : 'reports are not packaged'
    assert jar.getInputStream(jar.getEntry('nvdla-int8/calibration.cache')).text == cache.text
} finally {
    jar.close()
}
return true
