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

    /** The reference keeps op(B) as a plain row-major {@code [k×n]} copy. */
    private record Copied(int rows, int cols, float[] values) implements PackedMatrix {
    }

    @Override
    public PackedMatrix pack(boolean transposed, int k, int n, float[] b, int bOff, int ldb) {
        float[] values = new float[k * n];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                values[p * n + j] = transposed ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            }
        }
        return new Copied(k, n, values);
    }

    @Override
    public void gemm(int m, float[] a, int aOff, int lda, PackedMatrix b, float[] c, int cOff, int ldc, boolean accumulate) {
        Copied copy = (Copied) b;
        gemm(GemmOp.NN, m, copy.cols(), copy.rows(), a, aOff, lda, copy.values(), 0, copy.cols(), c, cOff, ldc, accumulate);
    }

    @Override
    public void activateRows(Activation f, int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                y[yOff + r * ldy + j] = activation(f, x[xOff + r * ldx + j]);
            }
        }
    }

    private static float activation(Activation f, float v) {
        return switch (f) {
            case TANH -> (float) Math.tanh(v);
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-v)));
            // v <= 0 rather than v > 0 keeps NaN (as PyTorch does), so divergence is not hidden.
            case RELU -> v <= 0f ? 0f : v;
            case IDENTITY -> v;
        };
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
    public void scaledMul(int n, float alpha, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, boolean accumulate) {
        for (int i = 0; i < n; i++) {
            float p = alpha * (a[aOff + i] * b[bOff + i]);
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

    @Override
    public double sum(int n, float[] x, int xOff) {
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            sum += x[xOff + i];
        }
        return sum;
    }

    // ------------------------------------------------------------------ fused recurrent cell steps

    @Override
    public void lstmForward(int rows, int hidden, float[] gates, int gOff, float[] c, int cOff, float[] cNext, int cNextOff,
                            float[] tanhC, int tanhCOff, float[] hNext, int hNextOff) {
        int h = hidden;
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * 4 * h;
            int s = r * h;
            for (int j = 0; j < h; j++) {
                float i = activation(Activation.SIGMOID, gates[g + j]);
                float f = activation(Activation.SIGMOID, gates[g + h + j]);
                float cand = activation(Activation.TANH, gates[g + 2 * h + j]);
                float o = activation(Activation.SIGMOID, gates[g + 3 * h + j]);
                gates[g + j] = i;
                gates[g + h + j] = f;
                gates[g + 2 * h + j] = cand;
                gates[g + 3 * h + j] = o;
                float cn = f * c[cOff + s + j] + i * cand;
                cNext[cNextOff + s + j] = cn;
                float tc = activation(Activation.TANH, cn);
                tanhC[tanhCOff + s + j] = tc;
                hNext[hNextOff + s + j] = o * tc;
            }
        }
    }

    @Override
    public void lstmBackward(int rows, int hidden, float[] gates, int gOff, float[] c, int cOff, float[] tanhC, int tanhCOff,
                             float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < hidden; j++) {
                lstmBackwardAt(r, j, hidden, gates, gOff, c, cOff, tanhC, tanhCOff, dh, dhOff, dc, dcOff, dGates, dgOff);
            }
        }
    }

    /** One element (row r, unit j) of {@link #lstmBackward}; also the vector kernel's ragged tail. */
    static void lstmBackwardAt(int r, int j, int h, float[] gates, int gOff, float[] c, int cOff, float[] tanhC, int tanhCOff,
                               float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff) {
        int g = gOff + r * 4 * h + j;
        int d = dgOff + r * 4 * h + j;
        int s = r * h + j;
        float i = gates[g];
        float f = gates[g + h];
        float cand = gates[g + 2 * h];
        float o = gates[g + 3 * h];
        float tc = tanhC[tanhCOff + s];
        float gh = dh[dhOff + s];
        float gc = gh * o * (1f - tc * tc) + dc[dcOff + s];
        dGates[d] = gc * cand * (i * (1f - i));
        dGates[d + h] = gc * c[cOff + s] * (f * (1f - f));
        dGates[d + 2 * h] = gc * i * (1f - cand * cand);
        dGates[d + 3 * h] = gh * tc * (o * (1f - o));
        dc[dcOff + s] = gc * f;
    }

    @Override
    public void gruForward(int rows, int hidden, float[] gates, int gOff, float[] hp, int hpOff, float[] bhn, int bhnOff,
                           float[] hpN, int hpnOff, float[] h, int hOff, float[] hNext, int hNextOff) {
        int w = hidden;
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * 3 * w;
            int p = hpOff + r * 3 * w;
            int s = r * w;
            for (int j = 0; j < w; j++) {
                float reset = activation(Activation.SIGMOID, gates[g + j] + hp[p + j]);
                float update = activation(Activation.SIGMOID, gates[g + w + j] + hp[p + w + j]);
                float hn = bhn == null ? hp[p + 2 * w + j] : hp[p + 2 * w + j] + bhn[bhnOff + j];
                float n = activation(Activation.TANH, gates[g + 2 * w + j] + reset * hn);
                gates[g + j] = reset;
                gates[g + w + j] = update;
                gates[g + 2 * w + j] = n;
                if (hpN != null) {
                    hpN[hpnOff + s + j] = hn;
                }
                hNext[hNextOff + s + j] = n + update * (h[hOff + s + j] - n);
            }
        }
    }

    @Override
    public void gruBackward(int rows, int hidden, float[] gates, int gOff, float[] hpN, int hpnOff, float[] h, int hOff,
                            float[] dh, int dhOff, float[] dGates, int dgOff, float[] dhDirect, int ddOff) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < hidden; j++) {
                gruBackwardAt(r, j, hidden, gates, gOff, hpN, hpnOff, h, hOff, dh, dhOff, dGates, dgOff, dhDirect, ddOff);
            }
        }
    }

    /** One element (row r, unit j) of {@link #gruBackward}; also the vector kernel's ragged tail. */
    static void gruBackwardAt(int r, int j, int w, float[] gates, int gOff, float[] hpN, int hpnOff, float[] h, int hOff,
                              float[] dh, int dhOff, float[] dGates, int dgOff, float[] dhDirect, int ddOff) {
        int g = gOff + r * 3 * w + j;
        int dg = dgOff + r * 4 * w + j;
        int s = r * w + j;
        float reset = gates[g];
        float update = gates[g + w];
        float n = gates[g + 2 * w];
        float gh = dh[dhOff + s];
        float direct = gh * update;
        float dn = (gh - direct) * (1f - n * n);
        float dz = gh * (h[hOff + s] - n) * (update * (1f - update));
        float dr = dn * hpN[hpnOff + s] * (reset * (1f - reset));
        dGates[dg] = dn;
        dGates[dg + w] = dr;
        dGates[dg + 2 * w] = dz;
        dGates[dg + 3 * w] = dn * reset;
        dhDirect[ddOff + s] = direct;
    }
}
