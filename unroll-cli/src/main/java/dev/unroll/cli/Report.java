package dev.unroll.cli;

import dev.unroll.kernel.Kernels;
import dev.unroll.train.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON report of a training command ({@code --report FILE}): what ran (command, configuration),
 * where (Unroll version, JVM, operating system, SIMD provider, threads), how it went (history, final
 * metrics, timings) and what it wrote. Written atomically.
 */
final class Report {
    private Report() {
    }

    static Map<String, Object> of(String command, Map<String, Object> configuration, int threads) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("command", command);
        r.put("unroll_version", Main.version());
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        env.put("java_version", System.getProperty("java.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        env.put("available_processors", Runtime.getRuntime().availableProcessors());
        env.put("simd_provider", Kernels.provider().name());
        env.put("threads", threads);
        r.put("environment", env);
        r.put("configuration", configuration);
        return r;
    }

    /**
     * One entry of the history: an epoch or a reporting period.
     *
     * @param periodName "epoch" or "period"
     * @param lossName   the name of the training loss, e.g. "train_loss", "train_mse"
     */
    static Map<String, Object> progress(Progress p, String periodName, String lossName) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(periodName, p.epoch());
        m.put("iteration", p.iteration());
        m.put(lossName, p.trainLoss());
        p.trainMetrics().forEach((k, v) -> m.put("train_" + k, v));
        if (!Double.isNaN(p.validationLoss())) {
            m.put("test_loss", p.validationLoss());
        }
        p.validationMetrics().forEach((k, v) -> m.put("test_" + k, v));
        m.put("learning_rate", p.learningRate());
        m.put("seconds", p.seconds());
        return m;
    }

    static void write(Path file, Map<String, Object> report) throws IOException {
        Outputs.writeJson(file, report);
    }
}
