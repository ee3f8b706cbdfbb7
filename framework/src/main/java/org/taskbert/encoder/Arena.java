package org.taskbert.encoder;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One zeroed off-heap float32 region that the encoder plans its tensors into by offset: BLAS reads and writes it
 * through a pointer, the fused loops through a {@link FloatBuffer}, and the optimiser and checkpoints through ND4J
 * views ({@link #view}). Written here because ND4J offers no planned buffer with raw offsets, and the GEMMs of
 * attention need strided sub-matrices of one array without copies.
 */
public final class Arena {

    /** Offset 0 sits on a 64-byte boundary, whatever the allocator returned. */
    private static final int ALIGN = 16;

    private final INDArray array;
    private final FloatPointer pointer;
    private final FloatBuffer floats;
    private final long length;
    /** Floats between the allocation's start and offset 0. */
    private final int shift;

    public Arena(long length) {
        if (length < 1 || length > Integer.MAX_VALUE - ALIGN) {
            throw new IllegalArgumentException("an arena holds 1.." + (Integer.MAX_VALUE - ALIGN) + " floats, asked for "
                    + length);
        }
        this.length = length;
        this.array = Nd4j.create(DataType.FLOAT, length + ALIGN);
        FloatPointer start = new FloatPointer(array.data().addressPointer());
        // OpenBLAS's kernels take different paths for differently aligned operands, and the order of a sum changes
        // with them: aligned alike, the same batch gives the same bits in every run (exact resume).
        long misalignment = (start.address() % 64) / 4;
        this.shift = (int) ((ALIGN - misalignment) % ALIGN);
        this.pointer = start;
        this.floats = array.data().asNioFloat().position(shift).slice();
    }

    /** {@code x} rounded up to a multiple of 16 floats (64 bytes), for offsets that keep the alignment. */
    public static long aligned(long x) {
        return (x + ALIGN - 1) / ALIGN * ALIGN;
    }

    public long length() {
        return length;
    }

    /** The whole region as floats (absolute indexing from 0). */
    public FloatBuffer floats() {
        return floats;
    }

    /** A pointer at float offset {@code offset}, for one BLAS call. */
    FloatPointer at(long offset) {
        return new FloatPointer(pointer).position(shift + offset);
    }

    /** A row-major ND4J view of {@code shape} starting at {@code offset}: writes go to the arena. */
    public INDArray view(long offset, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (offset < 0 || offset + n > length) {
            throw new IndexOutOfBoundsException("view [" + offset + ", " + (offset + n) + ") of an arena of " + length);
        }
        // A view straight on the buffer: get(interval).reshape(...) may copy, and writes to a copy would be lost.
        return Nd4j.create(array.data(), shape, Nd4j.getStrides(shape, 'c'), shift + offset, 'c');
    }

    /** Sets {@code [offset, offset + n)} to zero. */
    public void zero(long offset, long n) {
        view(offset, n).assign(0);
    }

    /** Copies {@code n} floats from {@code from} to {@code to} (non-overlapping). */
    public void copy(long from, long to, long n) {
        view(to, n).assign(view(from, n));
    }

    public float get(long i) {
        return floats.get((int) i);
    }

    /** Copies {@code n} floats from {@code offset} into {@code dst[dstOffset..]}. */
    public void read(long offset, float[] dst, int dstOffset, int n) {
        floats.get((int) offset, dst, dstOffset, n);
    }

    /** Copies {@code n} floats of {@code src[srcOffset..]} to {@code offset}. */
    public void write(long offset, float[] src, int srcOffset, int n) {
        floats.put((int) offset, src, srcOffset, n);
    }
}
