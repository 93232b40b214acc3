package dev.nnkit.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 products on the JDK's incubating Vector API, used when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (the {@code ./nn} launcher does). Every product is
 * one routine, C = A·B with A row-major, the classic register-tiled way: B is copied ("packed")
 * into strips {@link #STRIP} columns wide, contiguous in k, and a micro-tile of {@link #PAIR_ROWS}
 * rows × two strips side by side ({@code tilePair}) keeps its 16 accumulators in vector registers
 * over a block of k — four loads and four broadcasts feed 16 fused multiply-adds; a strip without a
 * partner runs {@link #TILE_ROWS} rows × one strip ({@code tile}, 12 accumulators). The k loop goes
 * in blocks of {@link #K_BLOCK}, so a pair's block stays in cache while every tile of a block of rows
 * passes over it; a tile stores its sums after a block and loads them back for the next. Threads
 * take chunks of whole pairs of strips (as many as they get to, {@link Parallel}) and pack their
 * own; each element is bias + Σₖ in k order with FMA whatever tile, block or thread computes it, so
 * results do not depend on the thread count, and the blocks change no bit.
 *
 * <p>Vectors never cross a method call: a vector passed to a method C2 does not inline is boxed,
 * and the loop then runs fifty times slower. And no method holds more vector operations than C2
 * inlines while parsing ({@link #PAIR_ROWS}).
 *
 * <p>The float64 twin (the same class name with Double) is generated from this file when nn-core
 * builds (nn-core/pom.xml, {@code kernel-twins}): edit this one, never the generated file.
 */
final class VectorProducts implements Float32Products {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int STRIP = 2 * L;
    private static final int TILE_ROWS = 6;
    /**
     * Rows of a pair tile. Six (24 accumulators) ran a few percent faster, but C2 stops inlining
     * at parse time after about 18,000 nodes (NodeCountInliningCutoff) and the Vector API costs a
     * few hundred per operation: the last rows' FMAs were left to late inlining, which now and
     * then failed to intrinsify them, and every step then boxed vectors for the life of the JVM
     * (CI, Java 17: 636 KB per step). Four rows keep the whole loop within the parse budget.
     */
    private static final int PAIR_ROWS = 4;
    /** Rows of A per block: 120 rows of 784 floats (376 KB) stay in L2 beside the packed strips. */
    private static final int ROW_BLOCK = 80 / Float.BYTES * TILE_ROWS;
    /**
     * A row-major B at least this wide, under a few rows of A, is read in place rather than packed:
     * a convolution's W·P (P [C·kH·kW × batch·pixels], 25,000–100,000 columns; 32 or fewer rows of
     * W) ran 25% faster so (1.99 → 1.52 ms at 32×144×25,088). The dense layer's narrower products
     * (up to a few thousand columns) were slower in place at batch 8–32, and keep packing.
     */
    private static final int IN_PLACE_COLUMNS = 4096;
    private static final int IN_PLACE_ROWS = 64;
    /** Up to this many rows, strips are packed one at a time just before use ({@code streamStrips}). */
    private static final int STREAM_ROWS = 2 * ROW_BLOCK;
    /**
     * Most k per block: 256 floats, a strip's block 32 KB (a pair's 64 KB), which L1 and L2 keep
     * while every tile of a block of rows passes over it. Alternated on a Xeon (2 MB L2), blocks of
     * 256 trained the MLP 2–10% faster at batch 128–2048 than no blocks, and than blocks of 128.
     */
    private static final int K_BLOCK = 32 * 1024 / (STRIP * Float.BYTES);

    /** Buffers of the calling thread, one set per part of a split: nothing is allocated per step once warm. */
    private static final class Buffers {
        float[] transposed = new float[0];
        final float[][] packed = new float[Parallel.maxParts()][0];
        final float[][] biasStrips = new float[Parallel.maxParts()][0];
        final float[][] edge = new float[Parallel.maxParts()][TILE_ROWS * STRIP];
        final Product job = new Product(this);
        final Transpose transpose = new Transpose();

        float[] packed(int part, int size) {
            if (packed[part].length < size) {
                packed[part] = new float[size];
            }
            return packed[part];
        }

        float[] biasStrips(int part, int size) {
            if (biasStrips[part].length < size) {
                biasStrips[part] = new float[size];
            }
            return biasStrips[part];
        }
    }

    /**
     * One product's arguments, one object per calling thread, reused: a lambda capturing them would
     * be allocated on every product of every step. Runs a part's strips.
     */
    private static final class Product implements Parallel.Rows {
        private final Buffers buffers;
        private float[] a;
        private int m;
        private int k;
        private float[] b;
        private int bRowStride;
        private int bColStride;
        private int cols;
        private float[] bias;
        private float[] c;

        Product(Buffers buffers) {
            this.buffers = buffers;
        }

        Product set(float[] a, int m, int k, float[] b, int bRowStride, int bColStride, int cols, float[] bias,
                    float[] c) {
            this.a = a;
            this.m = m;
            this.k = k;
            this.b = b;
            this.bRowStride = bRowStride;
            this.bColStride = bColStride;
            this.cols = cols;
            this.bias = bias;
            this.c = c;
            return this;
        }

        @Override
        public void run(int part, int from, int to) {
            // This part's strips are packed once; rows then go in blocks of ROW_BLOCK, so a block of
            // A stays in L2 while every strip passes over it (inference runs 10,000 rows at once).
            if (m <= STREAM_ROWS) {
                streamStrips(part, from, to);
                return;
            }
            float[] packed = buffers.packed(part, (to - from) * k * STRIP);
            float[] biasStrips = buffers.biasStrips(part, (to - from) * STRIP);
            for (int s = from; s < to; s++) {
                int j0 = s * STRIP;
                int width = Math.min(STRIP, cols - j0);
                pack(b, bRowStride, bColStride, k, j0, width, packed, (s - from) * k * STRIP);
                java.util.Arrays.fill(biasStrips, (s - from) * STRIP, (s - from + 1) * STRIP, 0f);
                if (bias != null) {
                    System.arraycopy(bias, j0, biasStrips, (s - from) * STRIP, width);
                }
            }
            float[] edge = buffers.edge[part];
            for (int i0 = 0; i0 < m; i0 += ROW_BLOCK) {
                int i1 = Math.min(m, i0 + ROW_BLOCK);
                for (int s = from; s < to; s++) {
                    int j0 = s * STRIP;
                    int width = Math.min(STRIP, cols - j0);
                    boolean pair = s + 1 < to && cols - j0 >= 2 * STRIP;
                    int kBlock = kBlock(k, width);
                    for (int k0 = 0; k0 < k; k0 += kBlock) {
                        int k1 = Math.min(k, k0 + kBlock);
                        int p0 = (s - from) * k * STRIP;
                        int bias0 = (s - from) * STRIP;
                        int i = i0;
                        if (pair) {
                            for (; i + PAIR_ROWS <= i1; i += PAIR_ROWS) {
                                tilePair(a, i, k, k0, k1, packed, p0, k * STRIP, biasStrips, bias0, c, cols, j0);
                            }
                            for (int r = i; r < i1; r++) {
                                row(a, r, k, k0, k1, packed, p0 + k * STRIP, STRIP, biasStrips, bias0 + STRIP, c, cols,
                                        j0 + STRIP, STRIP, edge);
                            }
                        }
                        for (; i + TILE_ROWS <= i1; i += TILE_ROWS) {
                            tile(a, i, k, k0, k1, packed, p0, STRIP, biasStrips, bias0, c, cols, j0, width, edge);
                        }
                        for (; i < i1; i++) {
                            row(a, i, k, k0, k1, packed, p0, STRIP, biasStrips, bias0, c, cols, j0, width, edge);
                        }
                    }
                    if (pair) {
                        s++;
                    }
                }
            }
        }

        /**
         * Few rows: each strip is packed just before the rows run over it, into one strip's
         * buffer that stays in L2, instead of all strips first (a 2048 × 2048 layer's 16 MB would
         * be written out to memory and read back). Same sums.
         */
        private void streamStrips(int part, int from, int to) {
            float[] packed = buffers.packed(part, 2 * k * STRIP);
            float[] biasStrip = buffers.biasStrips(part, 2 * STRIP);
            float[] edge = buffers.edge[part];
            for (int s = from; s < to; s++) {
                int j0 = s * STRIP;
                int width = Math.min(STRIP, cols - j0);
                // B read in place: a whole strip of a row-major B that few rows of A reuse (a
                // convolution's W·P, P thousands of columns wide) costs more to copy than to read.
                boolean inPlace = width == STRIP && bColStride == 1 && m <= IN_PLACE_ROWS && cols >= IN_PLACE_COLUMNS;
                // Two full strips packed side by side run as pairs (tilePair).
                boolean pair = !inPlace && s + 1 < to && cols - j0 >= 2 * STRIP;
                java.util.Arrays.fill(biasStrip, 0, 2 * STRIP, 0f);
                if (!inPlace) {
                    pack(b, bRowStride, bColStride, k, j0, width, packed, 0);
                    if (pair) {
                        pack(b, bRowStride, bColStride, k, j0 + STRIP, STRIP, packed, k * STRIP);
                    }
                }
                if (bias != null) {
                    System.arraycopy(bias, j0, biasStrip, 0, pair ? 2 * STRIP : width);
                }
                float[] p = inPlace ? b : packed;
                int p0 = inPlace ? j0 : 0;
                int pStride = inPlace ? bRowStride : STRIP;
                int kBlock = kBlock(k, width);
                for (int k0 = 0; k0 < k; k0 += kBlock) {
                    int k1 = Math.min(k, k0 + kBlock);
                    int i = 0;
                    if (pair) {
                        for (; i + PAIR_ROWS <= m; i += PAIR_ROWS) {
                            tilePair(a, i, k, k0, k1, p, 0, k * STRIP, biasStrip, 0, c, cols, j0);
                        }
                        for (int r = i; r < m; r++) {
                            row(a, r, k, k0, k1, p, k * STRIP, STRIP, biasStrip, STRIP, c, cols, j0 + STRIP, STRIP, edge);
                        }
                    }
                    for (; i + TILE_ROWS <= m; i += TILE_ROWS) {
                        tile(a, i, k, k0, k1, p, p0, pStride, biasStrip, 0, c, cols, j0, width, edge);
                    }
                    for (; i < m; i++) {
                        row(a, i, k, k0, k1, p, p0, pStride, biasStrip, 0, c, cols, j0, width, edge);
                    }
                }
                if (pair) {
                    s++;
                }
            }
        }
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    @Override
    public String description() {
        return "Vector API, " + S.vectorBitSize() + "-bit" + (Float.BYTES == 8 ? ", float64" : "");
    }

    @Override
    public void forward(float[] x, float[] w, float[] b, float[] z, int n, int in, int out) {
        if (n <= VectorFewRows.MAX_DOT_ROWS) {
            for (int i = 0; i < n; i++) {
                VectorFewRows.dot(x, i * in, w, b, z, i * out, in, out);
            }
            return;
        }
        // B = Wᵀ: B(k, j) = w[j·in + k]
        product(x, n, in, w, 1, in, out, b, z);
    }

    @Override
    public void weightGradient(float[] d, float[] x, float[] dw, float[] db, int n, int in, int out) {
        // A = δᵀ, made row-major once (out × n: small next to the product), with the bias gradient
        // in the same pass over δ; both split across threads by blocks of units at large batches.
        Buffers buffers = BUFFERS.get();
        if (buffers.transposed.length < n * out) {
            buffers.transposed = new float[n * out];
        }
        float[] dt = buffers.transposed;
        Parallel.rows((out + UNIT_BLOCK - 1) / UNIT_BLOCK, 1, TRANSPOSE_COST * n * out,
                buffers.transpose.set(d, n, out, dt, db));
        product(dt, out, n, x, in, 1, in, null, dw);
    }

    /** Units per block of the transpose: 16 × 16 blocks, so both sides stay in L1. */
    private static final int UNIT_BLOCK = 16;
    /**
     * A transposed element of δ, in multiply-adds (how {@link Parallel#rows} weighs work): a 16 × 16
     * register transpose moves an element in about the time of twenty FMAs. So the split starts near
     * batch 256 at 256 units, where it repays the hand-off.
     */
    private static final long TRANSPOSE_COST = 20;

    /**
     * δᵀ and the bias gradient for units [from·16, to·16): dt[o·n + i] = δ[i·out + o], and
     * db[o] = Σᵢ δ[i][o] from zero in i order, a vector of units at a time (it was a tenth of the
     * product). Every unit's sum is the same whichever thread or block computes it.
     */
    private static final class Transpose implements Parallel.Rows {
        private float[] d;
        private int n;
        private int out;
        private float[] dt;
        private float[] db;

        Transpose set(float[] d, int n, int out, float[] dt, float[] db) {
            this.d = d;
            this.n = n;
            this.out = out;
            this.dt = dt;
            this.db = db;
            return this;
        }

        @Override
        public void run(int part, int from, int to) {
            int u0 = from * UNIT_BLOCK;
            int u1 = Math.min(out, to * UNIT_BLOCK);
            for (int o0 = u0; o0 < u1; o0 += UNIT_BLOCK) {
                int o1 = Math.min(u1, o0 + UNIT_BLOCK);
                for (int i0 = 0; i0 < n; i0 += UNIT_BLOCK) {
                    int i1 = Math.min(n, i0 + UNIT_BLOCK);
                    if (L == 16 && i1 - i0 == 16 && o1 - o0 == 16) {
                        VectorTranspose16.block(d, out, i0, o0, dt, o0 * n + i0, n);
                        continue;
                    }
                    for (int i = i0; i < i1; i++) {
                        for (int o = o0; o < o1; o++) {
                            dt[o * n + i] = d[i * out + o];
                        }
                    }
                }
            }
            if (db != null) {
                biasGradient(d, db, n, out, u0, u1);
            }
        }
    }

    /** db[o] = Σᵢ δ[i][o] for units [u0, u1), from zero in i order, a vector of units at a time. */
    private static void biasGradient(float[] d, float[] db, int n, int out, int u0, int u1) {
        int o0 = u0;
        for (; o0 + L <= u1; o0 += L) {
            FloatVector sum = FloatVector.zero(S);
            for (int i = 0; i < n; i++) {
                sum = sum.add(FloatVector.fromArray(S, d, i * out + o0));
            }
            sum.intoArray(db, o0);
        }
        java.util.Arrays.fill(db, o0, u1, 0f);
        for (int i = 0; i < n; i++) {
            for (int o = o0; o < u1; o++) {
                db[o] += d[i * out + o];
            }
        }
    }

    @Override
    public void inputGradient(float[] d, float[] w, float[] dx, int n, int in, int out) {
        product(d, n, out, w, in, 1, in, null, dx);
    }

    /**
     * C[m×cols] = A[m×k]·B + bias, A row-major, B(kk, j) = b[kk·bRowStride + j·bColStride], C row-major.
     */
    private static void product(float[] a, int m, int k, float[] b, int bRowStride, int bColStride, int cols,
                                float[] bias, float[] c) {
        if (m < TILE_ROWS && bColStride == 1) { // too few rows to repay packing B; the same sums
            VectorFewRows.rowMajor(a, m, k, b, bRowStride, cols, bias, c);
            return;
        }
        Product job = BUFFERS.get().job.set(a, m, k, b, bRowStride, bColStride, cols, bias, c);
        Parallel.rows((cols + STRIP - 1) / STRIP, 2, (long) m * k * cols, job); // whole pairs of strips
    }

    /**
     * k per block: k in equal blocks of at most {@link #K_BLOCK} (784 → 4 × 196, not 3 × 256 + 16).
     * A narrower edge strip takes k whole: its sums go through the edge buffer, and storing and
     * reloading them there at every block cost a quarter of a 256×2048×784 product.
     */
    private static int kBlock(int k, int width) {
        if (width < STRIP) {
            return Math.max(1, k);
        }
        int blocks = (k + K_BLOCK - 1) / K_BLOCK;
        return (k + blocks - 1) / Math.max(1, blocks);
    }

    /** packed[p0 + kk·STRIP + j] = B(kk, j0 + j) for j &lt; width, zero beyond (so edge strips need no special loop). */
    private static void pack(float[] b, int rowStride, int colStride, int k, int j0, int width, float[] packed, int p0) {
        if (width < STRIP) {
            java.util.Arrays.fill(packed, p0, p0 + k * STRIP, 0f);
        }
        if (colStride == 1) {
            for (int kk = 0; kk < k; kk++) {
                System.arraycopy(b, kk * rowStride + j0, packed, p0 + kk * STRIP, width);
            }
            return;
        }
        int kStart = 0;
        if (L == 16 && width == STRIP && rowStride == 1) {
            // Wᵀ of the forward pass, on 512-bit vectors: 16×16 blocks transposed in registers.
            for (; kStart + 16 <= k; kStart += 16) {
                VectorTranspose16.block(b, colStride, j0, kStart, packed, p0 + kStart * STRIP, STRIP);
                VectorTranspose16.block(b, colStride, j0 + 16, kStart, packed, p0 + kStart * STRIP + 16, STRIP);
            }
        }
        // A transposed source: in blocks of 64 k, so the lines written stay in L1 across the columns.
        for (int k0 = kStart; k0 < k; k0 += 64) {
            int k1 = Math.min(k, k0 + 64);
            for (int j = 0; j < width; j++) {
                int src = (j0 + j) * colStride;
                for (int kk = k0; kk < k1; kk++) {
                    packed[p0 + kk * STRIP + j] = b[src + kk * rowStride];
                }
            }
        }
    }

    /**
     * Rows i..i+5 of C, one strip, k from k0 to k1: 12 accumulators held in registers, starting
     * from the bias at k0 = 0 and from C's sums so far after that. B is packed (a constant
     * stride: C2 drops the bounds checks on B and the multiply) or read in place
     * ({@link #tileInPlace}); the two loops are two methods so that each stays within C2's parse
     * budget (see {@link #PAIR_ROWS}).
     */
    private static void tile(float[] a, int i, int k, int k0, int k1, float[] p, int p0, int pStride,
                             float[] biasStrips, int bias, float[] c, int cols, int j0, int width, float[] edge) {
        if (pStride != STRIP) {
            tileInPlace(a, i, k, k0, k1, p, p0, pStride, biasStrips, bias, c, cols, j0, width, edge);
            return;
        }
        boolean full = width == STRIP;
        float[] dst = full ? c : edge;
        int ld = full ? cols : STRIP;
        int o = full ? i * cols + j0 : 0;
        // Where the accumulators start: the bias strip for every row, or C's sums of the blocks
        // before (only full strips go in blocks, kBlock).
        float[] from = k0 == 0 ? biasStrips : c;
        int f = k0 == 0 ? bias : o;
        int fld = k0 == 0 ? 0 : cols;
        FloatVector c00 = FloatVector.fromArray(S, from, f);
        FloatVector c01 = FloatVector.fromArray(S, from, f + L);
        FloatVector c10 = FloatVector.fromArray(S, from, f + fld);
        FloatVector c11 = FloatVector.fromArray(S, from, f + fld + L);
        FloatVector c20 = FloatVector.fromArray(S, from, f + 2 * fld);
        FloatVector c21 = FloatVector.fromArray(S, from, f + 2 * fld + L);
        FloatVector c30 = FloatVector.fromArray(S, from, f + 3 * fld);
        FloatVector c31 = FloatVector.fromArray(S, from, f + 3 * fld + L);
        FloatVector c40 = FloatVector.fromArray(S, from, f + 4 * fld);
        FloatVector c41 = FloatVector.fromArray(S, from, f + 4 * fld + L);
        FloatVector c50 = FloatVector.fromArray(S, from, f + 5 * fld);
        FloatVector c51 = FloatVector.fromArray(S, from, f + 5 * fld + L);
        int a0 = i * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        int a4 = a3 + k;
        int a5 = a4 + k;
        // Packed strips: with a constant stride C2 drops the bounds checks on B and the multiply.
        for (int kk = k0; kk < k1; kk++) {
            int pb = p0 + kk * STRIP;
            FloatVector b0 = FloatVector.fromArray(S, p, pb);
            FloatVector b1 = FloatVector.fromArray(S, p, pb + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + kk]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + kk]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + kk]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + kk]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + kk]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        c00.intoArray(dst, o);
        c01.intoArray(dst, o + L);
        c10.intoArray(dst, o + ld);
        c11.intoArray(dst, o + ld + L);
        c20.intoArray(dst, o + 2 * ld);
        c21.intoArray(dst, o + 2 * ld + L);
        c30.intoArray(dst, o + 3 * ld);
        c31.intoArray(dst, o + 3 * ld + L);
        c40.intoArray(dst, o + 4 * ld);
        c41.intoArray(dst, o + 4 * ld + L);
        c50.intoArray(dst, o + 5 * ld);
        c51.intoArray(dst, o + 5 * ld + L);
        if (!full) {
            for (int r = 0; r < TILE_ROWS; r++) {
                System.arraycopy(edge, r * STRIP, c, (i + r) * cols + j0, width);
            }
        }
    }

    /** {@link #tile} over a B read in place, pStride floats between its rows; the same sums. */
    private static void tileInPlace(float[] a, int i, int k, int k0, int k1, float[] p, int p0, int pStride,
                                    float[] biasStrips, int bias, float[] c, int cols, int j0, int width, float[] edge) {
        boolean full = width == STRIP;
        float[] dst = full ? c : edge;
        int ld = full ? cols : STRIP;
        int o = full ? i * cols + j0 : 0;
        // Where the accumulators start: the bias strip for every row, or C's sums of the blocks
        // before (only full strips go in blocks, kBlock).
        float[] from = k0 == 0 ? biasStrips : c;
        int f = k0 == 0 ? bias : o;
        int fld = k0 == 0 ? 0 : cols;
        FloatVector c00 = FloatVector.fromArray(S, from, f);
        FloatVector c01 = FloatVector.fromArray(S, from, f + L);
        FloatVector c10 = FloatVector.fromArray(S, from, f + fld);
        FloatVector c11 = FloatVector.fromArray(S, from, f + fld + L);
        FloatVector c20 = FloatVector.fromArray(S, from, f + 2 * fld);
        FloatVector c21 = FloatVector.fromArray(S, from, f + 2 * fld + L);
        FloatVector c30 = FloatVector.fromArray(S, from, f + 3 * fld);
        FloatVector c31 = FloatVector.fromArray(S, from, f + 3 * fld + L);
        FloatVector c40 = FloatVector.fromArray(S, from, f + 4 * fld);
        FloatVector c41 = FloatVector.fromArray(S, from, f + 4 * fld + L);
        FloatVector c50 = FloatVector.fromArray(S, from, f + 5 * fld);
        FloatVector c51 = FloatVector.fromArray(S, from, f + 5 * fld + L);
        int a0 = i * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        int a4 = a3 + k;
        int a5 = a4 + k;
        for (int kk = k0; kk < k1; kk++) {
            FloatVector b0 = FloatVector.fromArray(S, p, p0 + kk * pStride);
            FloatVector b1 = FloatVector.fromArray(S, p, p0 + kk * pStride + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + kk]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + kk]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + kk]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + kk]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + kk]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        c00.intoArray(dst, o);
        c01.intoArray(dst, o + L);
        c10.intoArray(dst, o + ld);
        c11.intoArray(dst, o + ld + L);
        c20.intoArray(dst, o + 2 * ld);
        c21.intoArray(dst, o + 2 * ld + L);
        c30.intoArray(dst, o + 3 * ld);
        c31.intoArray(dst, o + 3 * ld + L);
        c40.intoArray(dst, o + 4 * ld);
        c41.intoArray(dst, o + 4 * ld + L);
        c50.intoArray(dst, o + 5 * ld);
        c51.intoArray(dst, o + 5 * ld + L);
        if (!full) {
            for (int r = 0; r < TILE_ROWS; r++) {
                System.arraycopy(edge, r * STRIP, c, (i + r) * cols + j0, width);
            }
        }
    }

    /**
     * Rows i..i+3 of C over two full strips side by side (16 accumulators): each broadcast of A
     * feeds four FMAs instead of two, so the index arithmetic per FMA falls. Same sums as
     * {@link #tile}. The second strip is packed pairStride after the first.
     */
    private static void tilePair(float[] a, int i, int k, int k0, int k1, float[] p, int p0, int pairStride,
                                 float[] biasStrips, int bias, float[] c, int cols, int j0) {
        int o = i * cols + j0;
        float[] from = k0 == 0 ? biasStrips : c;
        int f = k0 == 0 ? bias : o;
        int fld = k0 == 0 ? 0 : cols;
        int pairBias = k0 == 0 ? STRIP : 2 * L; // the second strip's bias, or its columns of C
        FloatVector c00 = FloatVector.fromArray(S, from, f + 0 * fld + 0 * L);
        FloatVector c01 = FloatVector.fromArray(S, from, f + 0 * fld + 1 * L);
        FloatVector c02 = FloatVector.fromArray(S, from, f + 0 * fld + pairBias + 0 * L);
        FloatVector c03 = FloatVector.fromArray(S, from, f + 0 * fld + pairBias + 1 * L);
        FloatVector c10 = FloatVector.fromArray(S, from, f + 1 * fld + 0 * L);
        FloatVector c11 = FloatVector.fromArray(S, from, f + 1 * fld + 1 * L);
        FloatVector c12 = FloatVector.fromArray(S, from, f + 1 * fld + pairBias + 0 * L);
        FloatVector c13 = FloatVector.fromArray(S, from, f + 1 * fld + pairBias + 1 * L);
        FloatVector c20 = FloatVector.fromArray(S, from, f + 2 * fld + 0 * L);
        FloatVector c21 = FloatVector.fromArray(S, from, f + 2 * fld + 1 * L);
        FloatVector c22 = FloatVector.fromArray(S, from, f + 2 * fld + pairBias + 0 * L);
        FloatVector c23 = FloatVector.fromArray(S, from, f + 2 * fld + pairBias + 1 * L);
        FloatVector c30 = FloatVector.fromArray(S, from, f + 3 * fld + 0 * L);
        FloatVector c31 = FloatVector.fromArray(S, from, f + 3 * fld + 1 * L);
        FloatVector c32 = FloatVector.fromArray(S, from, f + 3 * fld + pairBias + 0 * L);
        FloatVector c33 = FloatVector.fromArray(S, from, f + 3 * fld + pairBias + 1 * L);
        int a0 = i * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        for (int kk = k0; kk < k1; kk++) {
            // pb + pairStride keeps two bounds checks; a second start (p1 + kk·STRIP) drops them but
            // left C2 a register short, and the tile ran 10–20% slower (JMH, alternated).
            int pb = p0 + kk * STRIP;
            FloatVector b0 = FloatVector.fromArray(S, p, pb);
            FloatVector b1 = FloatVector.fromArray(S, p, pb + L);
            FloatVector b2 = FloatVector.fromArray(S, p, pb + pairStride);
            FloatVector b3 = FloatVector.fromArray(S, p, pb + pairStride + L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + kk]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[a1 + kk]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[a2 + kk]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[a3 + kk]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
        }
        c00.intoArray(c, o + 0 * cols + 0 * L);
        c01.intoArray(c, o + 0 * cols + 1 * L);
        c02.intoArray(c, o + 0 * cols + 2 * L);
        c03.intoArray(c, o + 0 * cols + 3 * L);
        c10.intoArray(c, o + 1 * cols + 0 * L);
        c11.intoArray(c, o + 1 * cols + 1 * L);
        c12.intoArray(c, o + 1 * cols + 2 * L);
        c13.intoArray(c, o + 1 * cols + 3 * L);
        c20.intoArray(c, o + 2 * cols + 0 * L);
        c21.intoArray(c, o + 2 * cols + 1 * L);
        c22.intoArray(c, o + 2 * cols + 2 * L);
        c23.intoArray(c, o + 2 * cols + 3 * L);
        c30.intoArray(c, o + 3 * cols + 0 * L);
        c31.intoArray(c, o + 3 * cols + 1 * L);
        c32.intoArray(c, o + 3 * cols + 2 * L);
        c33.intoArray(c, o + 3 * cols + 3 * L);
    }

    /** One row of C, one strip, k from k0 to k1 (the rows left over below a multiple of six); same sums as {@link #tile}. */
    private static void row(float[] a, int i, int k, int k0, int k1, float[] p, int p0, int pStride,
                            float[] biasStrips, int bias, float[] c, int cols, int j0, int width, float[] edge) {
        int o = i * cols + j0;
        float[] from = k0 == 0 ? biasStrips : c; // only full strips go in blocks (kBlock)
        int f = k0 == 0 ? bias : o;
        FloatVector c0 = FloatVector.fromArray(S, from, f);
        FloatVector c1 = FloatVector.fromArray(S, from, f + L);
        int a0 = i * k;
        if (pStride == STRIP) { // packed: a constant stride, no bounds checks on B (as in tile)
            for (int kk = k0; kk < k1; kk++) {
                FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
                c0 = x.fma(FloatVector.fromArray(S, p, p0 + kk * STRIP), c0);
                c1 = x.fma(FloatVector.fromArray(S, p, p0 + kk * STRIP + L), c1);
            }
        } else {
            for (int kk = k0; kk < k1; kk++) {
                FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
                c0 = x.fma(FloatVector.fromArray(S, p, p0 + kk * pStride), c0);
                c1 = x.fma(FloatVector.fromArray(S, p, p0 + kk * pStride + L), c1);
            }
        }
        if (width == STRIP) {
            c0.intoArray(c, o);
            c1.intoArray(c, o + L);
        } else {
            c0.intoArray(edge, 0);
            c1.intoArray(edge, L);
            System.arraycopy(edge, 0, c, o, width);
        }
    }
}
