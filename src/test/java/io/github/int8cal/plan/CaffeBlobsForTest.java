package io.github.int8cal.plan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TEST-ONLY minimal protobuf wire-format walk over a .caffemodel, returning each layer's float
 * blobs (NetParameter.layer = 100, LayerParameter.name = 1, blobs = 7, BlobProto.data = 5 packed
 * float). To be replaced by the model reader (branch {@code model}) once it lands.
 */
final class CaffeBlobsForTest {

    private CaffeBlobsForTest() {
    }

    static Map<String, List<float[]>> read(Path caffemodel) throws IOException {
        ByteBuffer net = ByteBuffer.wrap(Files.readAllBytes(caffemodel));
        Map<String, List<float[]>> layers = new LinkedHashMap<>();
        while (net.hasRemaining()) {
            long key = varint(net);
            if ((key >>> 3) == 100 && (key & 7) == 2) {
                ByteBuffer layer = slice(net);
                String name = null;
                List<float[]> blobs = new ArrayList<>();
                while (layer.hasRemaining()) {
                    long k = varint(layer);
                    if ((k >>> 3) == 1 && (k & 7) == 2) {
                        ByteBuffer s = slice(layer);
                        byte[] b = new byte[s.remaining()];
                        s.get(b);
                        name = new String(b, java.nio.charset.StandardCharsets.UTF_8);
                    } else if ((k >>> 3) == 7 && (k & 7) == 2) {
                        blobs.add(blobData(slice(layer)));
                    } else {
                        skip(layer, k);
                    }
                }
                layers.put(name, blobs);
            } else {
                skip(net, key);
            }
        }
        return layers;
    }

    private static float[] blobData(ByteBuffer blob) {
        float[] data = new float[0];
        while (blob.hasRemaining()) {
            long k = varint(blob);
            if ((k >>> 3) == 5 && (k & 7) == 2) {
                ByteBuffer packed = slice(blob).order(ByteOrder.LITTLE_ENDIAN);
                data = new float[packed.remaining() / 4];
                packed.asFloatBuffer().get(data);
            } else {
                skip(blob, k);
            }
        }
        return data;
    }

    private static ByteBuffer slice(ByteBuffer b) {
        int len = (int) varint(b);
        ByteBuffer s = b.slice();
        s.limit(len);
        b.position(b.position() + len);
        return s;
    }

    private static void skip(ByteBuffer b, long key) {
        switch ((int) (key & 7)) {
            case 0 -> varint(b);
            case 1 -> b.position(b.position() + 8);
            case 2 -> slice(b);
            case 5 -> b.position(b.position() + 4);
            default -> throw new IllegalStateException("wire type " + (key & 7));
        }
    }

    private static long varint(ByteBuffer b) {
        long r = 0;
        for (int shift = 0; ; shift += 7) {
            int c = b.get() & 0xff;
            r |= (long) (c & 0x7f) << shift;
            if (c < 0x80) {
                return r;
            }
        }
    }
}
