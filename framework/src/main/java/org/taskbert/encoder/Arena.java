package org.taskbert.encoder;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One zeroed off-heap float32 region that the encoder plans its tensors into by offset: BLAS reads and writes it
 * through a pointer, the fused loops through {@link FloatBuffer}s of at most {@link #SEGMENT} floats each, and the optimiser and checkpoints through ND4J
 * views ({@link #view}). Written here because ND4J offers no planned buffer with raw offsets, and the GEMMs of
 * attention need strided sub-matrices of one array without copies.
 */
public final class Arena {

    /** Offset 0 sits on a 64-byte boundary, whatever the allocator returned. */
    private static final int ALIGN = 16;
    /** Floats per NIO view: a ByteBuffer holds at most 2^31 − 1 bytes, and a training pass may plan more. */
    static final int SEGMENT = 1 << 28;

    private final INDArray array;
    private final FloatPointer pointer;
    /** {@code segments[k]} holds floats {@code k·SEGMENT ..} of the region. */
    private final FloatBuffer[] segments;

    private final int segment;
    private final long length;
    /** Floats between the allocation's start and offset 0. */
    private final int shift;

    public Arena(long length) {
        this(length, SEGMENT);
    }

    /** An arena whose NIO views hold {@code segment} floats each (tests use small ones, to cross their borders). */
    Arena(long length, int segment) {
        if (length < 1 || length > Integer.MAX_VALUE - ALIGN) {
            throw new IllegalArgumentException(
                    "an arena holds 1.." + (Integer.MAX_VALUE - ALIGN) + " floats, asked for " + length);
        }
        this.length = length;
        this.array = Nd4j.create(DataType.FLOAT, length + ALIGN);
        FloatPointer start = new FloatPointer(array.data().addressPointer());
        // OpenBLAS's kernels take different paths for differently aligned operands, and the order of a sum changes
        // with them: aligned alike, the same batch gives the same bits in every run (exact resume).
        long misalignment = (start.address() % 64) / 4;
        this.shift = (int) ((ALIGN - misalignment) % ALIGN);
        this.pointer = start;
        this.segment = segment;
        this.segments = new FloatBuffer[(int) ((length + segment - 1) / segment)];
        for (int k = 0; k < segments.length; k++) {
            long from = shift + (long) k * segment;
            // A pointer of its own at the segment's start: NIO capacities are ints of bytes from the pointer.
            FloatPointer view = start.getPointer(from);
            segments[k] = view.capacity(Math.min(segment, length - (long) k * segment))
                    .asBuffer();
        }
    }

    /** {@code x} rounded up to a multiple of 16 floats (64 bytes), for offsets that keep the alignment. */
    public static long aligned(long x) {
        return (x + ALIGN - 1) / ALIGN * ALIGN;
    }

    public long length() {
        return length;
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
        return segments[(int) (i / segment)].get((int) (i % segment));
    }

    public void put(long i, float value) {
        segments[(int) (i / segment)].put((int) (i % segment), value);
    }

    /** Copies {@code n} floats from {@code offset} into {@code dst[dstOffset..]}. */
    public void read(long offset, float[] dst, int dstOffset, int n) {
        while (n > 0) {
            int k = (int) (offset / segment);
            int at = (int) (offset % segment);
            int part = Math.min(n, segment - at);
            segments[k].get(at, dst, dstOffset, part);
            offset += part;
            dstOffset += part;
            n -= part;
        }
    }

    /** Copies {@code n} floats of {@code src[srcOffset..]} to {@code offset}. */
    public void write(long offset, float[] src, int srcOffset, int n) {
        while (n > 0) {
            int k = (int) (offset / segment);
            int at = (int) (offset % segment);
            int part = Math.min(n, segment - at);
            segments[k].put(at, src, srcOffset, part);
            offset += part;
            srcOffset += part;
            n -= part;
        }
    }
}
