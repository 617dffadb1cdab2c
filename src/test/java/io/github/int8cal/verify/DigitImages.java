package io.github.int8cal.verify;

import java.util.SplittableRandom;

/**
 * Seeded 28x28 digit-like images in [0, 1] (MNIST's range after LeNet's 1/256 input scaling):
 * seven-segment digits with a random position, stroke width and intensity, slightly blurred, with a
 * little noise. Not MNIST, but strokes on a dark background that LeNet's filters respond to.
 */
final class DigitImages {

    /** Segments a..g per digit (bit 0 = a, top; then b top-right, c bottom-right, d bottom, e bottom-left, f top-left, g middle). */
    private static final int[] SEGMENTS = {0x3f, 0x06, 0x5b, 0x4f, 0x66, 0x6d, 0x7d, 0x07, 0x7f, 0x6f};

    private DigitImages() {
    }

    static float[] digit(int value, SplittableRandom r) {
        float[] img = new float[28 * 28];
        int x0 = 8 + r.nextInt(-2, 3);
        int y0 = 4 + r.nextInt(-2, 3);
        int w = 11 + r.nextInt(-1, 2);
        int h = 9 + r.nextInt(-1, 2);
        int stroke = 2 + r.nextInt(2);
        float ink = (float) (0.8 + 0.2 * r.nextDouble());
        int s = SEGMENTS[value];
        // corners of the two stacked boxes
        int xl = x0;
        int xr = x0 + w;
        int yt = y0;
        int ym = y0 + h;
        int yb = y0 + 2 * h;
        if ((s & 1) != 0) {
            line(img, xl, yt, xr, yt, stroke, ink);
        }
        if ((s & 2) != 0) {
            line(img, xr, yt, xr, ym, stroke, ink);
        }
        if ((s & 4) != 0) {
            line(img, xr, ym, xr, yb, stroke, ink);
        }
        if ((s & 8) != 0) {
            line(img, xl, yb, xr, yb, stroke, ink);
        }
        if ((s & 16) != 0) {
            line(img, xl, ym, xl, yb, stroke, ink);
        }
        if ((s & 32) != 0) {
            line(img, xl, yt, xl, ym, stroke, ink);
        }
        if ((s & 64) != 0) {
            line(img, xl, ym, xr, ym, stroke, ink);
        }
        float[] out = new float[img.length];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                float sum = 0;
                int n = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (yy >= 0 && yy < 28 && xx >= 0 && xx < 28) {
                            sum += img[yy * 28 + xx];
                            n++;
                        }
                    }
                }
                float v = 0.5f * img[y * 28 + x] + 0.5f * sum / n + (float) (0.02 * r.nextDouble());
                out[y * 28 + x] = Math.min(1f, Math.max(0f, v));
            }
        }
        return out;
    }

    private static void line(float[] img, int x0, int y0, int x1, int y1, int stroke, float ink) {
        for (int y = Math.min(y0, y1); y <= Math.max(y0, y1) + stroke - 1; y++) {
            for (int x = Math.min(x0, x1); x <= Math.max(x0, x1) + stroke - 1; x++) {
                if (y >= 0 && y < 28 && x >= 0 && x < 28) {
                    img[y * 28 + x] = ink;
                }
            }
        }
    }
}
