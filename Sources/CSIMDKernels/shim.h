#ifndef LAKEMARK_CSIMDKERNELS_SHIM_H
#define LAKEMARK_CSIMDKERNELS_SHIM_H
// x86-64 SIMD kernels for the Codecs target, written with the compiler's intrinsics and chosen at run time by
// CPUID (the x86-64 baseline has neither PCLMULQDQ nor SSSE3): CRC-32 by carry-less multiplication, and base64
// decoding sixteen characters at a time. Elsewhere both report themselves unavailable and Codecs uses its portable
// paths.
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

// CRC-32 by carry-less multiplication: four 16-byte lanes folded 64 bytes at a time, then into one lane, whose 16
// bytes (congruent to everything folded, modulo the polynomial) finish with zlib's table-driven crc32 together with
// the last bytes. A lane's low 64 bits hold the higher-degree coefficients (the bits are reflected); folding a lane
// over a distance of D bits multiplies its low half by x^(D+63) mod P and its high half by x^(D-1) mod P, the
// exponent one less than the distance because a reflected carry-less product comes out one degree high. The four
// constants are those residues, bit-reversed into 64-bit lanes.
#if defined(__x86_64__)
#include <cpuid.h>
#include <emmintrin.h>
#include <tmmintrin.h>
#include <wmmintrin.h>

/// 1 when the processor has PCLMULQDQ and SSE2, else 0.
static inline int lakemark_crc32_clmul_supported(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    return (ecx & bit_PCLMUL) != 0 && (edx & bit_SSE2) != 0;
}

__attribute__((target("pclmul,sse2")))
static inline __m128i lakemark_crc32_fold(__m128i lane, __m128i residues) {
    __m128i low = _mm_clmulepi64_si128(lane, residues, 0x00);
    __m128i high = _mm_clmulepi64_si128(lane, residues, 0x11);
    return _mm_xor_si128(low, high);
}

/// zlib's crc32(crc, bytes, count) for count >= 64 on a processor where lakemark_crc32_clmul_supported() is 1.
__attribute__((target("pclmul,sse2")))
static inline uint32_t lakemark_crc32_clmul(uint32_t crc, const unsigned char *bytes, size_t count) {
    // x^(512+63), x^(512-1) and x^(128+63), x^(128-1) modulo the CRC-32 polynomial.
    const __m128i over64Bytes = _mm_set_epi64x((long long)0xcad38e8f00000000ull, (long long)0x653d982200000000ull);
    const __m128i over16Bytes = _mm_set_epi64x((long long)0x9ba54c6f00000000ull, (long long)0x65673b4600000000ull);
    const __m128i *blocks = (const __m128i *)bytes;
    __m128i lane0 = _mm_xor_si128(_mm_loadu_si128(blocks), _mm_cvtsi32_si128((int)~crc));
    __m128i lane1 = _mm_loadu_si128(blocks + 1);
    __m128i lane2 = _mm_loadu_si128(blocks + 2);
    __m128i lane3 = _mm_loadu_si128(blocks + 3);
    size_t offset = 64;
    for (; count - offset >= 64; offset += 64) {
        blocks = (const __m128i *)(bytes + offset);
        lane0 = _mm_xor_si128(lakemark_crc32_fold(lane0, over64Bytes), _mm_loadu_si128(blocks));
        lane1 = _mm_xor_si128(lakemark_crc32_fold(lane1, over64Bytes), _mm_loadu_si128(blocks + 1));
        lane2 = _mm_xor_si128(lakemark_crc32_fold(lane2, over64Bytes), _mm_loadu_si128(blocks + 2));
        lane3 = _mm_xor_si128(lakemark_crc32_fold(lane3, over64Bytes), _mm_loadu_si128(blocks + 3));
    }
    lane1 = _mm_xor_si128(lakemark_crc32_fold(lane0, over16Bytes), lane1);
    lane2 = _mm_xor_si128(lakemark_crc32_fold(lane1, over16Bytes), lane2);
    lane3 = _mm_xor_si128(lakemark_crc32_fold(lane2, over16Bytes), lane3);
    for (; count - offset >= 16; offset += 16) {
        const __m128i *block = (const __m128i *)(bytes + offset);
        lane3 = _mm_xor_si128(lakemark_crc32_fold(lane3, over16Bytes), _mm_loadu_si128(block));
    }
    unsigned char folded[16];
    _mm_storeu_si128((__m128i *)folded, lane3);
    uLong state = crc32(0xFFFFFFFFul, folded, 16);
    return (uint32_t)crc32(state, bytes + offset, (uInt)(count - offset));
}
/// 1 when the processor has SSSE3 (byte shuffles), else 0.
static inline int lakemark_base64_ssse3_supported(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    return (ecx & bit_SSSE3) != 0;
}

// Base64 decoding, sixteen characters to twelve bytes a step. Each character's nibbles index two 16-entry tables of
// class bits; the character is in the alphabet exactly when the two share no bit (bit 0: high nibble 2, low not
// 11 '+' or 15 '/'; bit 1: high 3, low 10 or more; bit 2: high 4 or 6, low 0; bit 3: high 5 or 7, low 11 or more;
// bit 4: any other high nibble). The high nibble, less one for '/', picks the offset that turns a character into
// its six bits. Multiply-adds pack four sextets into 24 bits per 32-bit lane and a shuffle gathers the bytes.
/// Decodes while at least 20 characters remain and each block of 16 is all alphabet; stops before the first block
/// that is not (whitespace, padding, an error: the caller's own decoder takes over there). Writes 16 bytes per 12
/// decoded, so `output` must hold `count / 4 * 3 + 3` bytes, as the caller's decoder already needs.
/// Returns the bytes decoded; `*consumed` is set to the characters read.
__attribute__((target("ssse3")))
static inline size_t lakemark_base64_decode_ssse3(const unsigned char *input, size_t count, unsigned char *output,
                                                  size_t *consumed) {
    const __m128i lowNibbleClasses = _mm_setr_epi8(0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
                                                   0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A);
    const __m128i highNibbleClasses = _mm_setr_epi8(0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10,
                                                    0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
    const __m128i offsets = _mm_setr_epi8(0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m128i nibble = _mm_set1_epi8(0x0F);
    const __m128i slash = _mm_set1_epi8('/');
    const __m128i sextetPairs = _mm_set1_epi32(0x01400140);
    const __m128i pairQuads = _mm_set1_epi32(0x00011000);
    const __m128i gather = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    size_t read = 0, written = 0;
    while (count - read >= 20) {
        __m128i characters = _mm_loadu_si128((const __m128i *)(input + read));
        __m128i high = _mm_and_si128(_mm_srli_epi32(characters, 4), nibble);
        __m128i low = _mm_and_si128(characters, nibble);
        __m128i shared = _mm_and_si128(_mm_shuffle_epi8(lowNibbleClasses, low),
                                       _mm_shuffle_epi8(highNibbleClasses, high));
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(shared, _mm_setzero_si128())) != 0xFFFF) break;
        __m128i offset = _mm_shuffle_epi8(offsets, _mm_add_epi8(high, _mm_cmpeq_epi8(characters, slash)));
        __m128i sextets = _mm_add_epi8(characters, offset);
        __m128i quads = _mm_madd_epi16(_mm_maddubs_epi16(sextets, sextetPairs), pairQuads);
        _mm_storeu_si128((__m128i *)(output + written), _mm_shuffle_epi8(quads, gather));
        read += 16;
        written += 12;
    }
    *consumed = read;
    return written;
}

/// The index of the first byte at or after `index` (and before `count`) that a JSON string scanner must look at:
/// a quote, a backslash, a control (below 0x20) or a byte of a multi-byte UTF-8 sequence (0x80 and above); `count`
/// when there is none (also when `index` is past `count`). Sixteen bytes a step with SSE2 (part of x86-64), then
/// byte by byte.
static inline size_t lakemark_json_string_attention(const unsigned char *bytes, size_t index, size_t count) {
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    while (index + 16 <= count) {
        __m128i block = _mm_loadu_si128((const __m128i *)(bytes + index));
        // A signed compare with 0x20 flags controls and non-ASCII bytes (negative as signed) at once.
        __m128i flagged = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, quote), _mm_cmpeq_epi8(block, backslash)),
                                       _mm_cmpgt_epi8(space, block));
        unsigned int mask = (unsigned int)_mm_movemask_epi8(flagged);
        if (mask != 0) return index + (size_t)__builtin_ctz(mask);
        index += 16;
    }
    for (; index < count; index++) {
        unsigned char byte = bytes[index];
        if (byte == '"' || byte == '\\' || byte < 0x20 || byte >= 0x80) return index;
    }
    return count;
}
#else
/// 0: the SSSE3 decoder exists on x86-64 only.
static inline int lakemark_base64_ssse3_supported(void) { return 0; }

/// Decodes nothing; never called where lakemark_base64_ssse3_supported() is 0.
static inline size_t lakemark_base64_decode_ssse3(const unsigned char *input, size_t count, unsigned char *output,
                                                  size_t *consumed) {
    (void)input; (void)count; (void)output;
    *consumed = 0;
    return 0;
}

/// 0: carry-less multiplication is used on x86-64 only.
static inline int lakemark_crc32_clmul_supported(void) { return 0; }

/// zlib's crc32; never called where lakemark_crc32_clmul_supported() is 0.
static inline uint32_t lakemark_crc32_clmul(uint32_t crc, const unsigned char *bytes, size_t count) {
    return (uint32_t)crc32(crc, bytes, (uInt)count);
}

/// The index of the first byte at or after `index` (and before `count`) that is a quote, a backslash, a control
/// or at least 0x80; `count` when there is none (also when `index` is past `count`).
static inline size_t lakemark_json_string_attention(const unsigned char *bytes, size_t index, size_t count) {
    for (; index < count; index++) {
        unsigned char byte = bytes[index];
        if (byte == '"' || byte == '\\' || byte < 0x20 || byte >= 0x80) return index;
    }
    return count;
}
#endif
#endif
