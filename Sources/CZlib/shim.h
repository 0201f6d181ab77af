#ifndef LAKEMARK_CZLIB_SHIM_H
#define LAKEMARK_CZLIB_SHIM_H
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

/// deflateInit2 and inflateInit2 are macros; Swift cannot call them directly.
static inline int lakemark_deflateInit2(z_streamp strm, int level, int windowBits, int memLevel, int strategy) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, memLevel, strategy);
}

static inline int lakemark_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
// CRC-32 by carry-less multiplication: four 16-byte lanes folded 64 bytes at a time, then into one lane, whose 16
// bytes (congruent to everything folded, modulo the polynomial) finish with zlib's table-driven crc32 together with
// the last bytes. A lane's low 64 bits hold the higher-degree coefficients (the bits are reflected); folding a lane
// over a distance of D bits multiplies its low half by x^(D+63) mod P and its high half by x^(D-1) mod P, the
// exponent one less than the distance because a reflected carry-less product comes out one degree high. The four
// constants are those residues, bit-reversed into 64-bit lanes.
#if defined(__x86_64__)
#include <cpuid.h>
#include <emmintrin.h>
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
#else
/// 0: carry-less multiplication is used on x86-64 only.
static inline int lakemark_crc32_clmul_supported(void) { return 0; }

/// zlib's crc32; never called where lakemark_crc32_clmul_supported() is 0.
static inline uint32_t lakemark_crc32_clmul(uint32_t crc, const unsigned char *bytes, size_t count) {
    return (uint32_t)crc32(crc, bytes, (uInt)count);
}
#endif

#endif
