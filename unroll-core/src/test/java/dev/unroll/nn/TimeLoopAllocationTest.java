package dev.unroll.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.kernel.Parallel;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fused kernels allocate nothing per time step: once warmed up (buffer pool filled), a
 * training pass (forward and backward, final state only) and an inference pass allocate the same
 * whether the sequences have 10 steps or 200.
 */
class TimeLoopAllocationTest {
    private int savedThreads;

    @BeforeEach
    void oneThread() {
        // The allocation counter is per thread: keep all the work on this one.
        savedThreads = Parallel.threads();
        Parallel.setThreads(1);
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(savedThreads);
    }

    private static long allocated(Runnable body) {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        body.run();
        return mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void allocationDoesNotGrowWithTheNumberOfSteps(CellType type) {
        Recurrent layer = Recurrent.builder(type, 4, 16).returnSequences(false).rng(new Rng(1)).build();
        int[] steps = {10, 200};
        Runnable[] passes = new Runnable[4];
        for (int i = 0; i < 2; i++) {
            Variable input = Variable.constant(Tensor.uniform(new Rng(2), -1f, 1f, 8, steps[i], 4));
            passes[2 * i] = () -> layer.forward(input, Context.training(null, null)).sum().backward();
            passes[2 * i + 1] = () -> {
                try (var scope = Autograd.noGrad()) {
                    layer.forward(input, Context.inference());
                }
            };
        }
        // Until the JIT has compiled the kernels, Vector API code allocates its vectors, and other
        // tests in the same JVM may make it recompile: warm up, measure, and try again a few times.
        // An allocation in the time loop fails every attempt.
        long[] bytes = new long[4];
        for (int attempt = 0; attempt < 6; attempt++) {
            for (int round = 0; round < 200; round++) {
                for (Runnable p : passes) {
                    p.run();
                }
            }
            for (int i = 0; i < 4; i++) {
                bytes[i] = Long.MAX_VALUE;
                for (int r = 0; r < 3; r++) {
                    bytes[i] = Math.min(bytes[i], allocated(passes[i]));
                }
            }
            if (Math.abs(bytes[2] - bytes[0]) < 2048 && Math.abs(bytes[3] - bytes[1]) < 2048) {
                return;
            }
        }
        // 190 more steps would cost at least 190 small objects if anything were allocated per step.
        assertTrue(Math.abs(bytes[2] - bytes[0]) < 2048, type + " training: " + bytes[0] + " bytes for 10 steps, " + bytes[2] + " for 200");
        assertTrue(Math.abs(bytes[3] - bytes[1]) < 2048, type + " inference: " + bytes[1] + " bytes for 10 steps, " + bytes[3] + " for 200");
    }
}
