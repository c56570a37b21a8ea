package dev.unroll.forecast;

import dev.unroll.preprocess.SeriesPreprocessing;
import dev.unroll.tensor.Tensor;
import java.util.List;

/**
 * Windows laid out as a model's batch. Each step of a window is
 * {@code [z of each target | features | calendar pairs | z one season earlier | observed flag]}:
 * z the target normalized by the window's level (0 at the horizon's steps), the scaled features as
 * their change since the window's origin (see {@code Prepared.windowCovariates}), the seasonal lags only
 * when the task asks for them (0 where the series has no value that far back, or past the origin),
 * the flag only for a direct model that reads the horizon as steps after the history (1 for history,
 * 0 for the horizon). Windows are left-aligned: a window shorter than the longest has its valid steps
 * first and padding after, with its length given, so a recurrent layer's final state is the state
 * at its last valid step.
 */
final class WindowTensors {
    private WindowTensors() {
    }

    /** Features per step for the task's model. */
    static int stepWidth(ForecastTask task, SeriesPreprocessing preprocessing) {
        SeriesPreprocessing.Settings s = preprocessing.settings();
        return preprocessing.stepFeatures() + (task.lags(s) ? s.targets().size() : 0) + (task.readsHorizon(s) ? 1 : 0);
    }

    /** The inputs {@code [N, S, F]}; {@code lengths} receives each window's steps (its history, then the horizon when the model reads it). */
    static Tensor inputs(List<Window> windows, ForecastTask task, SeriesPreprocessing preprocessing, int[] lengths) {
        boolean readsHorizon = task.readsHorizon(preprocessing.settings());
        int width = stepWidth(task, preprocessing);
        int longest = 0;
        for (int i = 0; i < windows.size(); i++) {
            lengths[i] = windows.get(i).lookback() + (readsHorizon ? task.horizon() : 0);
            longest = Math.max(longest, lengths[i]);
        }
        Tensor x = Tensor.zeros(windows.size(), longest, width);
        float[] d = x.data();
        int targets = preprocessing.settings().targets().size();
        int season = task.lags(preprocessing.settings()) ? preprocessing.settings().season() : 0;
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            SeriesPreprocessing.Prepared p = w.series();
            for (int j = 0; j < lengths[i]; j++) {
                int row = w.start() + j;
                int at = (i * longest + j) * width;
                boolean history = j < w.lookback();
                for (int k = 0; k < targets; k++) {
                    d[at + k] = history ? p.normalize(k, p.target(k, row), p.level(k, w.origin())) : 0f;
                }
                p.windowCovariates(row, w.origin(), d, at + targets);
                int covariates = p.covariateCount();
                if (season > 0) {
                    int lagged = row - season;
                    for (int k = 0; k < targets; k++) {
                        d[at + targets + covariates + k] = lagged >= 0 && lagged <= w.origin()
                                ? p.normalize(k, p.target(k, lagged), p.level(k, w.origin())) : 0f;
                    }
                }
                if (readsHorizon) {
                    d[at + width - 1] = history ? 1f : 0f;
                }
            }
        }
        return x;
    }

    /** The lengths when some window is shorter than the batch's steps, else null (no padding). */
    static int[] lengthsIfPadded(int[] lengths, Tensor x) {
        for (int l : lengths) {
            if (l != x.dim(1)) {
                return lengths;
            }
        }
        return null;
    }

    /**
     * A direct model's targets: the horizon's values normalized by each window's level, as
     * {@code [N, H·K]} (step-major) for a model that forecasts from its final state, or as
     * {@code [N, L + H, K]} with the values at the horizon's steps {@code [L, L + H)} for one that
     * outputs at every step (zeros before: a loss on those steps only reads them).
     */
    static Tensor directTargets(List<Window> windows, int h, int targets, boolean perStep) {
        int lookback = perStep ? windows.get(0).lookback() : 0;
        Tensor y = perStep ? Tensor.zeros(windows.size(), lookback + h, targets) : Tensor.zeros(windows.size(), h * targets);
        float[] d = y.data();
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            SeriesPreprocessing.Prepared p = w.series();
            int first = (i * (lookback + h) + lookback) * targets;
            for (int s = 0; s < h; s++) {
                for (int k = 0; k < targets; k++) {
                    d[first + s * targets + k] = p.normalize(k, p.target(k, w.origin() + 1 + s), p.level(k, w.origin()));
                }
            }
        }
        return y;
    }

    /**
     * A recursive model's targets {@code [N, S, K]}: at each step, the next step's values,
     * normalized by the window's level (zero past a window's length).
     */
    static Tensor nextStepTargets(List<Window> windows, int targets, int steps) {
        Tensor y = Tensor.zeros(windows.size(), steps, targets);
        float[] d = y.data();
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            SeriesPreprocessing.Prepared p = w.series();
            for (int j = 0; j < w.lookback(); j++) {
                for (int k = 0; k < targets; k++) {
                    d[(i * steps + j) * targets + k] = p.normalize(k, p.target(k, w.start() + j + 1), p.level(k, w.origin()));
                }
            }
        }
        return y;
    }
}
