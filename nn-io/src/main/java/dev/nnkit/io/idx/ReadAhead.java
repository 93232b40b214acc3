package dev.nnkit.io.idx;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * The next {@code count} bytes of a stream, read into one array by a thread of its own while the
 * caller works on the part already read. For Fashion-MNIST's training images the caller meanwhile
 * allocates the 188 MB of floats (on this kind of VM the first touch of fresh memory costs more
 * than inflating the 26 MB of gzip data) and converts the bytes as they arrive.
 *
 * <p>Not shared: one caller thread uses it, then closes it.
 */
final class ReadAhead implements AutoCloseable {
    private static final int CHUNK = 1 << 18;

    private final InputStream in;
    private final int count;
    private byte[] bytes; // allocated by the reader (its first touch costs time too); guarded by this
    private final Thread reader;
    private int available; // guarded by this; only grows
    private boolean ended; // the stream ended before count bytes (guarded by this)
    private Throwable failure; // what reading threw, rethrown to the caller (guarded by this)
    private volatile boolean cancelled;

    private ReadAhead(InputStream in, int count) {
        this.in = in;
        this.count = count;
        this.reader = new Thread(this::readAll, "nnkit-idx-read-ahead");
        reader.setDaemon(true); // a failed run exits without waiting for it
    }

    /** Starts reading {@code count} bytes of {@code in}; the caller must not touch {@code in} until {@link #close}. */
    static ReadAhead start(InputStream in, int count) {
        ReadAhead r = new ReadAhead(in, count);
        r.reader.start();
        return r;
    }

    /** The array the bytes arrive in, once {@link #awaitBeyond} has returned; bytes below its result are final. */
    synchronized byte[] bytes() {
        return bytes;
    }

    /**
     * Waits until more than {@code done} bytes are read and returns how many are.
     *
     * @throws Ended when the stream ended after {@code done} bytes
     * @throws IOException what reading threw (a {@link java.util.zip.ZipException} for corrupt gzip data)
     */
    synchronized int awaitBeyond(int done) throws IOException {
        while (available <= done && !ended && failure == null) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the IDX data");
            }
        }
        if (available > done) {
            return available;
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure != null) {
            throw (Error) failure; // such as an OutOfMemoryError for the bytes
        }
        throw new Ended(available);
    }

    private void readAll() {
        int read = 0;
        try {
            byte[] into = new byte[count];
            synchronized (this) {
                bytes = into;
            }
            while (read < count && !cancelled) {
                int got = in.readNBytes(into, read, Math.min(CHUNK, count - read));
                read += got;
                synchronized (this) {
                    available = read;
                    ended = got == 0;
                    notifyAll();
                }
                if (got == 0) {
                    return;
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            synchronized (this) {
                failure = e;
                notifyAll();
            }
        }
    }

    /** Stops the reader (after its current chunk, if the caller gave up early) and waits for it. */
    @Override
    public void close() throws InterruptedIOException {
        cancelled = true;
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the IDX data");
        }
    }

    /** The stream ended after {@link #read} of the bytes asked for. */
    static final class Ended extends IOException {
        private static final long serialVersionUID = 1L;
        final transient int read;

        Ended(int read) {
            super("the stream ended after " + read + " bytes");
            this.read = read;
        }
    }
}
