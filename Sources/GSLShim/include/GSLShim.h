#ifndef GSL_SHIM_H
#define GSL_SHIM_H
#include <gsl/gsl_odeiv2.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_multifit_nlinear.h>

// Swift 6 refuses to read C globals; GSL's algorithm tables are globals, so each gets an accessor.
static inline const gsl_odeiv2_step_type *cm_step_rk4(void) { return gsl_odeiv2_step_rk4; }
static inline const gsl_odeiv2_step_type *cm_step_rkf45(void) { return gsl_odeiv2_step_rkf45; }
static inline const gsl_odeiv2_step_type *cm_step_rkck(void) { return gsl_odeiv2_step_rkck; }
static inline const gsl_odeiv2_step_type *cm_step_rk8pd(void) { return gsl_odeiv2_step_rk8pd; }
static inline const gsl_odeiv2_step_type *cm_step_msadams(void) { return gsl_odeiv2_step_msadams; }
static inline const gsl_odeiv2_step_type *cm_step_msbdf(void) { return gsl_odeiv2_step_msbdf; }

static inline const gsl_rng_type *cm_rng_mt19937(void) { return gsl_rng_mt19937; }

static inline const gsl_qrng_type *cm_qrng_sobol(void) { return gsl_qrng_sobol; }
static inline const gsl_root_fsolver_type *cm_root_brent(void) { return gsl_root_fsolver_brent; }
static inline const gsl_multifit_nlinear_type *cm_nlinear_trust(void) { return gsl_multifit_nlinear_trust; }

/// Replaces GSL's abort-on-error handler with one that records the latest error of this thread.
void cm_install_error_handler(void);
/// The latest GSL error reported on this thread (reason, file:line), or "" when none; reading clears it.
const char *cm_take_last_error(int *status);
#endif
