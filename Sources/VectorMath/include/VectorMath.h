#ifndef VECTOR_MATH_H
#define VECTOR_MATH_H

/// Two doubles side by side; Swift sees `SIMD2<Double>`.
typedef double cm_double2 __attribute__((ext_vector_type(2)));

/// exp, log and log1p of both lanes, by glibc's vector math library (libmvec) on x86-64 Linux: one call of its
/// two-lane SSE variant costs about what one scalar call does. Elsewhere, two calls of the C library's own. Each
/// lane's value depends only on that lane's argument (within 4 ulp of the correctly rounded value, libmvec's bound).
cm_double2 cm_exp2(cm_double2 x);
cm_double2 cm_log2(cm_double2 x);
cm_double2 cm_log1p2(cm_double2 x);

/// The same over `count` values from `x` into `y`, which may be `x` itself (an odd last value goes in both lanes).
void cm_exp_all(const double *x, double *y, long count);
void cm_log_all(const double *x, double *y, long count);
void cm_log1p_all(const double *x, double *y, long count);

#endif
