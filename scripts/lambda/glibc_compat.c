/*
 * Linked into the Lambda `bootstrap` only (scripts/package_lambda.sh). The Swift runtime built on Debian 12 refers
 * to three symbol versions that Amazon Linux 2023 (glibc 2.34, GCC 11's libstdc++) lacks, so the loader there
 * would refuse the binary:
 *   hypot, hypotf @ GLIBC_2.35 (Foundation's CGFloat, the Glibc overlay);
 *   std::condition_variable::wait(std::unique_lock<std::mutex>&) @ GLIBCXX_3.4.30 (the Swift runtime).
 * The linker's --wrap sends those references to the wrappers below, which call the older versions both
 * libraries still export (GLIBC_2.2.5, GLIBCXX_3.4.11): the same functions under their first version names.
 */
__asm__(".symver lakemark_hypot_base, hypot@GLIBC_2.2.5");
__asm__(".symver lakemark_hypotf_base, hypotf@GLIBC_2.2.5");
__asm__(".symver lakemark_wait_base, _ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE@GLIBCXX_3.4.11");

double lakemark_hypot_base(double x, double y);
float lakemark_hypotf_base(float x, float y);
void lakemark_wait_base(void *condition, void *lock);

double __wrap_hypot(double x, double y) { return lakemark_hypot_base(x, y); }

float __wrap_hypotf(float x, float y) { return lakemark_hypotf_base(x, y); }

void __wrap__ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE(void *condition, void *lock) {
    lakemark_wait_base(condition, lock);
}
