#include "VectorMath.h"
#include <math.h>

#if defined(__x86_64__) && defined(__linux__)
// libmvec's SSE entry points (x86_64 vector function ABI: 'b' = SSE, N2 = two lanes, v = one vector argument).
// libm.so's linker script pulls libmvec in as needed.
cm_double2 _ZGVbN2v_exp(cm_double2);
cm_double2 _ZGVbN2v_log(cm_double2);
cm_double2 _ZGVbN2v_log1p(cm_double2);
cm_double2 cm_exp2(cm_double2 x) { return _ZGVbN2v_exp(x); }
cm_double2 cm_log2(cm_double2 x) { return _ZGVbN2v_log(x); }
cm_double2 cm_log1p2(cm_double2 x) { return _ZGVbN2v_log1p(x); }
#else
cm_double2 cm_exp2(cm_double2 x) { return (cm_double2){exp(x.x), exp(x.y)}; }
cm_double2 cm_log2(cm_double2 x) { return (cm_double2){log(x.x), log(x.y)}; }
cm_double2 cm_log1p2(cm_double2 x) { return (cm_double2){log1p(x.x), log1p(x.y)}; }
#endif

static inline void apply(cm_double2 (*f)(cm_double2), const double *x, double *y, long count) {
    long i = 0;
    for (; i + 2 <= count; i += 2) {
        cm_double2 result = f((cm_double2){x[i], x[i + 1]});
        y[i] = result.x;
        y[i + 1] = result.y;
    }
    if (i < count) y[i] = f((cm_double2){x[i], x[i]}).x;
}

void cm_exp_all(const double *x, double *y, long count) { apply(cm_exp2, x, y, count); }
void cm_log_all(const double *x, double *y, long count) { apply(cm_log2, x, y, count); }
void cm_log1p_all(const double *x, double *y, long count) { apply(cm_log1p2, x, y, count); }
