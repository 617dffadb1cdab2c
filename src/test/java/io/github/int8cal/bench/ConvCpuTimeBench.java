package io.github.int8cal.bench;

import com.sun.management.OperatingSystemMXBean;
import io.github.int8cal.nvdla.datapath.ConvSdpLayer;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Companion to {@link ConvThroughputBench} for a shared machine: runs each layer and reports
 * GMAC/s per wall-clock second and per CPU-second of this process. On an otherwise idle 2-core
 * machine, 2 x the per-CPU-second figure is what the 2-thread run would reach; on a loaded one
 * the wall-clock figure only says what share of the cores we got. Same layers, same setup.
 * Run like the benchmark, with main class {@code io.github.int8cal.bench.ConvCpuTimeBench}.
 */
public final class ConvCpuTimeBench {

    private ConvCpuTimeBench() {
    }

    public static void main(String[] args) throws Exception {
        String[] layers = args.length > 0 ? args : new String[] {"56x56x64-3x3x64", "28x28x128-3x3x128",
            "14x14x256-3x3x256", "7x7x512-3x3x512", "56x56x64-1x1x256", "56x56x256-1x1x64", "28x28x512-1x1x128", "14x14x1024-1x1x256",
            "7x7x2048-1x1x512"};
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.println(String.format(Locale.ROOT, "%-22s %-8s %12s %14s", "layer", "path", "GMAC/s wall",
                "GMAC/CPU-s"));
        for (String layer : layers) {
            ConvThroughputBench b = new ConvThroughputBench();
            b.layer = layer;
            b.setUp();
            double macs = b.params.macs();
            for (String path : new String[] {"int8", "fp32"}) {
                Runnable op = path.equals("int8") ? () -> ConvSdpLayer.run(b.engine, b.input, b.weights, b.registers)
                        : () -> {
                            try {
                                b.fp32.run(b.fp32Pool, ConvThroughputBench.THREADS);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        };
                for (int i = 0; i < 8; i++) {
                    op.run();
                }
                int reps = 10;
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    op.run();
                }
                long wall = System.nanoTime() - t0;
                long cpu = os.getProcessCpuTime() - cpu0;
                System.out.println(String.format(Locale.ROOT, "%-22s %-8s %12.2f %14.2f", layer, path,
                        macs * reps / wall, macs * reps / cpu));
            }
            b.tearDown();
        }
    }
}
