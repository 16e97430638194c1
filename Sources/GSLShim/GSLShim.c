#include "GSLShim.h"
#include <stdio.h>
#include <gsl/gsl_errno.h>

static _Thread_local char last_reason[512];
static _Thread_local int last_status;

static void record_error(const char *reason, const char *file, int line, int gsl_errno) {
    snprintf(last_reason, sizeof last_reason, "%s (%s:%d)", reason, file, line);
    last_status = gsl_errno;
}

void cm_install_error_handler(void) { gsl_set_error_handler(&record_error); }

const char *cm_take_last_error(int *status) {
    static _Thread_local char taken[512];
    if (last_status == 0 && last_reason[0] == 0) {  // nothing recorded: the case of every successful call
        *status = 0;
        return "";
    }
    snprintf(taken, sizeof taken, "%s", last_reason);
    *status = last_status;
    last_reason[0] = 0;
    last_status = 0;
    return taken;
}
