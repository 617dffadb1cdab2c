import java.nio.file.Files
import java.nio.file.StandardCopyOption

// Third-party fixtures are never committed: copy them into the cloned IT project at test time.
def fixtures = new File(sharedDir, 'fixtures/caffe-lenet')
for (name in ['lenet.prototxt', 'lenet.caffemodel', 'lenet.calibration.table']) {
    Files.copy(new File(fixtures, name).toPath(), new File(basedir, name).toPath(), StandardCopyOption.REPLACE_EXISTING)
}
return true
