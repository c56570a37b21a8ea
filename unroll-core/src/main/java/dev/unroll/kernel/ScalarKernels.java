package dev.unroll.kernel;

/**
 * The reference kernels: plain loops, written to be read and checked, not to be fast. The Vector
 * API provider must agree with these (parity tests); they are also the fallback when
 * {@code jdk.incubator.vector} is not available.
 */
public final class ScalarKernels implements KernelProvider {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gemm(GemmOp op, int m, int n, int k,
                     float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc,
                     boolean accumulate) {
        // Strides that read op(A)[i][p] and op(B)[p][j] whatever the storage order.
        int aRow = op.transA ? 1 : lda;
        int aCol = op.transA ? lda : 1;
        int bRow = op.transB ? 1 : ldb;
        int bCol = op.transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    sum += a[aOff + i * aRow + p * aCol] * b[bOff + p * bRow + j * bCol];
                }
                int at = cOff + i * ldc + j;
                c[at] = accumulate ? c[at] + sum : sum;
            }
        }
    }

    @Override
    public void activate(Activation f, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = switch (f) {
                case TANH -> (float) Math.tanh(v);
                case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-v)));
                case RELU -> v <= 0f ? 0f : v; // NaN stays NaN (as in PyTorch): a diverged value must not vanish
                case IDENTITY -> v;
            };
        }
    }

    @Override
    public void activateBackward(Activation f, float[] y, int yOff, float[] dy, int dyOff,
                                 float[] dx, int dxOff, int n, boolean accumulate) {
        for (int i = 0; i < n; i++) {
            float out = y[yOff + i];
            float slope = switch (f) {
                case TANH -> 1f - out * out;
                case SIGMOID -> out * (1f - out);
                case RELU -> out > 0f ? 1f : 0f;
                case IDENTITY -> 1f;
            };
            float g = dy[dyOff + i] * slope;
            dx[dxOff + i] = accumulate ? dx[dxOff + i] + g : g;
        }
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i] + b[bOff + i];
        }
    }

    @Override
    public void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, boolean accumulate) {
        for (int i = 0; i < n; i++) {
            float p = a[aOff + i] * b[bOff + i];
            out[outOff + i] = accumulate ? out[outOff + i] + p : p;
        }
    }

    @Override
    public void addRowVector(int rows, int cols, float[] bias, int biasOff, float[] x, int xOff, int ldx) {
        for (int r = 0; r < rows; r++) {
            int row = xOff + r * ldx;
            for (int j = 0; j < cols; j++) {
                x[row + j] += bias[biasOff + j];
            }
        }
    }

    @Override
    public void sumRows(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff, boolean accumulate) {
        if (!accumulate) {
            java.util.Arrays.fill(out, outOff, outOff + cols, 0f);
        }
        for (int r = 0; r < rows; r++) {
            int row = xOff + r * ldx;
            for (int j = 0; j < cols; j++) {
                out[outOff + j] += x[row + j];
            }
        }
    }

    @Override
    public double dot(int n, float[] x, int xOff, float[] y, int yOff) {
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            sum += (double) x[xOff + i] * y[yOff + i];
        }
        return sum;
    }
}
