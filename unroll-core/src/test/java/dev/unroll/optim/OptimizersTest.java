package dev.unroll.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.io.SafeTensors;
import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import dev.unroll.tensor.Tensor;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Each optimizer reproduces PyTorch's parameter trajectory under the same gradients. */
class OptimizersTest {

    /** A module holding one parameter vector. */
    static final class Holder extends Module {
        final Parameter p;

        Holder(Tensor initial) {
            p = addParameter(new Parameter("p", initial));
        }
    }

    private static Optimizer create(String name, Module m) {
        return switch (name) {
            case "sgd" -> new Sgd(m, 0.1);
            case "sgd_momentum" -> new Sgd(m, 0.1, 0.9, false, 0);
            case "sgd_nesterov_wd" -> new Sgd(m, 0.1, 0.9, true, 0.01);
            case "rmsprop" -> new RmsProp(m, 0.01);
            case "adam" -> new Adam(m, 0.001);
            case "adam_l2" -> new Adam(m, 0.01, 0.9, 0.999, 1e-8, 0.1, false);
            case "adamw" -> Adam.adamW(m, 0.01, 0.1);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "sgd_momentum", "sgd_nesterov_wd", "rmsprop", "adam", "adam_l2", "adamw"})
    void followsPyTorch(String name) throws Exception {
        SafeTensors.Contents f = SafeTensors.read(Path.of(getClass().getResource("/fixtures/optimizers.safetensors").toURI()));
        Holder h = new Holder(f.require("p0").copy());
        Optimizer opt = create(name, h);
        for (int k = 0; k < 5; k++) {
            h.p.grad().copyFrom(f.require("grad" + k));
            opt.step();
            float[] expected = f.require(name + ".after" + k).toArray();
            float[] actual = h.p.value().toArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 2e-6 + 1e-5 * Math.abs(expected[i]), name + " step " + k + " [" + i + "]");
            }
        }
        assertEquals(5, opt.steps());
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        Function<Holder, Optimizer> make = m -> new Adam(m, 0.01);
        Holder a = new Holder(Tensor.of(new float[] {1, 2, 3}, 3));
        Holder b = new Holder(Tensor.of(new float[] {1, 2, 3}, 3));
        Optimizer oa = make.apply(a);
        Optimizer ob = make.apply(b);
        float[][] grads = {{0.1f, -0.2f, 0.3f}, {0.5f, 0.5f, -1f}, {-0.3f, 0.1f, 0.2f}};
        a.p.grad().copyFrom(Tensor.of(grads[0], 3));
        oa.step();
        b.p.grad().copyFrom(Tensor.of(grads[0], 3));
        ob.step();
        // Restart b's optimizer from saved state, then continue both.
        Optimizer resumed = make.apply(b);
        resumed.loadState(ob.state(), ob.steps());
        for (int k = 1; k < 3; k++) {
            a.p.grad().copyFrom(Tensor.of(grads[k], 3));
            oa.step();
            b.p.grad().copyFrom(Tensor.of(grads[k], 3));
            resumed.step();
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.p.value().toArray(), b.p.value().toArray());
    }

    @Test
    void clippingByGlobalNormKeepsTheDirection() {
        float[] g = {3, 4};
        double norm = GradientClipping.byGlobalNorm(1f).apply(g);
        assertEquals(5.0, norm, 1e-9);
        assertEquals(0.6f, g[0], 1e-5);
        assertEquals(0.8f, g[1], 1e-5);
        float[] small = {0.3f, 0.4f};
        GradientClipping.byGlobalNorm(1f).apply(small);
        assertEquals(0.3f, small[0]);
    }

    @Test
    void clippingByValueClamps() {
        float[] g = {-5, 0.5f, 7};
        GradientClipping.byValue(1f).apply(g);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {-1, 0.5f, 1}, g);
    }

    @Test
    void schedules() {
        assertEquals(0.1, LearningRateSchedule.stepDecay(10, 0.5).rate(9, 0.1), 1e-12);
        assertEquals(0.05, LearningRateSchedule.stepDecay(10, 0.5).rate(10, 0.1), 1e-12);
        assertEquals(0.0, LearningRateSchedule.cosine(100, 0).rate(100, 1), 1e-12);
        assertEquals(0.5, LearningRateSchedule.cosine(100, 0).rate(50, 1), 1e-12);
        assertEquals(0.25, LearningRateSchedule.constant().withWarmup(4).rate(0, 1), 1e-12);
        assertEquals(1.0, LearningRateSchedule.constant().withWarmup(4).rate(7, 1), 1e-12);
    }

    @Test
    void badHyperParametersAreRejected() {
        Holder h = new Holder(Tensor.ones(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Adam(h, 0));
        assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Sgd(h, 0.1, 0, true, 0));
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.byGlobalNorm(0f));
    }
}
