package dev.unroll.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decompresses a gzip stream (RFC 1952) strictly, where the JDK's {@code GZIPInputStream} is
 * lenient: bytes after the last member that are not another gzip member are an error (the JDK
 * stops silently at them), and every member's CRC-32 and length are checked. Data is inflated only
 * as it is read, so a reader that finds what it needs can stop without inflating the rest of a
 * compression bomb.
 *
 * <pre>
 *   member  = 1f 8b, CM 08, FLG, MTIME(4), XFL, OS,
 *             [XLEN(2) extra] [name 00] [comment 00] [CRC16(2)]   as FLG's bits 2, 3, 4, 1 say
 *             deflate data, CRC32(4), ISIZE(4) (little-endian; ISIZE is the length mod 2^32)
 * </pre>
 *
 * Problems are {@link ZipException}s (truncation: {@link EOFException}) with a message saying what
 * is wrong.
 */
final class GzipReader extends InputStream {
    private static final int FHCRC = 1 << 1;
    private static final int FEXTRA = 1 << 2;
    private static final int FNAME = 1 << 3;
    private static final int FCOMMENT = 1 << 4;
    private static final int RESERVED = 0xE0;

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private long memberLength;
    private boolean ended;

    /** Reads from {@code in}, which must start with a gzip member. */
    GzipReader(InputStream in) throws IOException {
        this.in = in;
        readMemberHeader();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] out, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!ended) {
            if (inflater.finished()) {
                finishMember();
                continue;
            }
            if (inflater.needsInput()) {
                if (!refill()) {
                    throw new EOFException("the gzip stream ends inside its compressed data");
                }
                inflater.setInput(buffer, position, limit - position);
            }
            int before = inflater.getRemaining();
            int n;
            try {
                n = inflater.inflate(out, offset, length);
            } catch (DataFormatException e) {
                throw new ZipException("corrupt compressed data: " + e.getMessage());
            }
            position += before - inflater.getRemaining();
            if (n > 0) {
                crc.update(out, offset, n);
                memberLength += n;
                return n;
            }
            if (inflater.needsDictionary()) {
                throw new ZipException("corrupt compressed data: a preset dictionary, which gzip does not use");
            }
        }
        return -1;
    }

    /** Checks the trailer of the member just inflated; then either another member follows or the stream ends. */
    private void finishMember() throws IOException {
        long expectedCrc = readInt();
        long expectedLength = readInt();
        if (expectedCrc != crc.getValue()) {
            throw new ZipException("CRC-32 mismatch: the trailer says " + Long.toHexString(expectedCrc) + ", the data gives "
                    + Long.toHexString(crc.getValue()));
        }
        if (expectedLength != (memberLength & 0xFFFFFFFFL)) {
            throw new ZipException("length mismatch: the trailer says " + expectedLength + " bytes mod 2^32, the data has "
                    + memberLength);
        }
        if (position == limit && !refill()) {
            ended = true;
            return;
        }
        inflater.reset();
        crc.reset();
        memberLength = 0;
        readMemberHeader();
    }

    private void readMemberHeader() throws IOException {
        int id1 = readByte();
        int id2 = readByte();
        if (id1 != 0x1f || id2 != 0x8b) {
            throw new ZipException(String.format("not gzip data: bytes %02x %02x where a gzip member starts with 1f 8b"
                    + " (garbage after the gzip stream?)", id1, id2));
        }
        int method = readByte();
        if (method != 8) {
            throw new ZipException("unsupported gzip compression method " + method + " (only 8, deflate, exists)");
        }
        int flags = readByte();
        if ((flags & RESERVED) != 0) {
            throw new ZipException("reserved gzip header flags set: 0x" + Integer.toHexString(flags));
        }
        skip(6); // MTIME, XFL, OS
        if ((flags & FEXTRA) != 0) {
            skip(readByte() | readByte() << 8);
        }
        if ((flags & FNAME) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FCOMMENT) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FHCRC) != 0) {
            skip(2);
        }
    }

    private long readInt() throws IOException {
        return (readByte() | readByte() << 8 | readByte() << 16 | (long) readByte() << 24) & 0xFFFFFFFFL;
    }

    private int readByte() throws IOException {
        if (position == limit && !refill()) {
            throw new EOFException("the gzip stream ends inside a member's header or trailer");
        }
        return buffer[position++] & 0xFF;
    }

    private void skip(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            readByte();
        }
    }

    private void skipZeroTerminated() throws IOException {
        while (readByte() != 0) {
            // a file name or comment, of no use here
        }
    }

    /** Reads more compressed bytes when the buffer is used up; false at the end of the input. */
    private boolean refill() throws IOException {
        if (position < limit) {
            return true;
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
