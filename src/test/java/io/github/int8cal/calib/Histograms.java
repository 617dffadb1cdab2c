package io.github.int8cal.calib;

/** The reference histograms of docs/calibration.md#test-vectors and a few more, each defined by a formula. */
final class Histograms {

    private Histograms() {
    }

    /** H_lin: c[i] = max(0, 1024 − i); c[2047] += 1. */
    static double[] hLin() {
        double[] c = new double[2048];
        for (int i = 0; i < 2048; i++) {
            c[i] = Math.max(0, 1024 - i);
        }
        c[2047] += 1;
        return c;
    }

    /** H_exp: v₀ = 10^6, c[i] = v, v ← max(0, v − ⌊v/64⌋ − 1); then c[1500] += 3, c[2047] += 1. */
    static double[] hExp() {
        double[] c = new double[2048];
        long v = 1_000_000;
        for (int i = 0; i < 2048; i++) {
            c[i] = v;
            v = Math.max(0, v - v / 64 - 1);
        }
        c[1500] += 3;
        c[2047] += 1;
        return c;
    }

    /** floor(1e6·exp(−j/120)) + 5 where j·7919 mod 13 == 0; c[2047] += 3. */
    static double[] decay120() {
        double[] c = new double[2048];
        for (int j = 0; j < 2048; j++) {
            c[j] = Math.floor(1e6 * Math.exp(-j / 120.0)) + ((j * 7919) % 13 == 0 ? 5 : 0);
        }
        c[2047] += 3;
        return c;
    }

    /** floor(5000·exp(−((j−200)/60)²)) + floor(800·exp(−((j−1300)/150)²)); c[2047] += 1. */
    static double[] bimodal() {
        double[] c = new double[2048];
        for (int j = 0; j < 2048; j++) {
            double a = (j - 200) / 60.0;
            double b = (j - 1300) / 150.0;
            c[j] = Math.floor(5000 * Math.exp(-a * a)) + Math.floor(800 * Math.exp(-b * b));
        }
        c[2047] += 1;
        return c;
    }
}
