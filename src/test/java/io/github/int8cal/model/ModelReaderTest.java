package io.github.int8cal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.problems.ProblemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModelReaderTest {

    static final Path LENET = Path.of("../shared/fixtures/caffe-lenet");

    @Test
    void picksTheReaderByExtension() throws Exception {
        Graph g = ModelReader.read(LENET.resolve("lenet.prototxt"), LENET.resolve("lenet.caffemodel"));
        assertEquals(ModelFormat.CAFFE, g.format());
        assertTrue(g.hasWeights());
        assertEquals(8, g.layerReport().size());
        LayerInfo ip1 = g.layerReport().get(4);
        assertEquals(new LayerInfo("ip1", Op.INNER_PRODUCT, "InnerProduct", java.util.List.of("pool2"),
                java.util.List.of("ip1@ip1"), Shape.of(1, 500)), ip1);
    }

    @Test
    void unknownExtensionIsAClearError() {
        ProblemException e = assertThrows(ProblemException.class, () -> ModelReader.read(Path.of("model.h5"), null));
        assertTrue(e.getMessage().startsWith("model.h5: unknown model type"), e.getMessage());
    }
}
