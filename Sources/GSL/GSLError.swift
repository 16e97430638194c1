import CGSL
import GSLShim

/// A failure reported by GSL, or by a callback GSL was running, as a Swift error.
public struct GSLError: Error, CustomStringConvertible, Sendable {
    /// GSL's status code (`GSL_EBADFUNC`, `GSL_EMAXITER`, …).
    public let status: Int32
    /// GSL's reason text, with the C file and line that raised it, when GSL gave one.
    public let reason: String
    /// What the library was doing.
    public let operation: String

    public var description: String {
        let name = String(cString: gsl_strerror(status))
        return reason.isEmpty ? "\(operation): \(name)" : "\(operation): \(name): \(reason)"
    }
}

/// Replaces GSL's abort-on-error handler exactly once per process, before any GSL call.
private let errorHandlerInstalled: Void = cm_install_error_handler()

func ensureErrorHandler() { errorHandlerInstalled }

/// Turns a GSL status into a thrown `GSLError` carrying the reason GSL recorded on this thread.
func check(_ status: Int32, _ operation: @autoclosure () -> String) throws(GSLError) {
    var recorded: Int32 = 0
    let reason: UnsafePointer<CChar> = cm_take_last_error(&recorded)  // taken on success too: no stale reason for later
    guard status != gslSuccess else { return }
    throw GSLError(status: status, reason: String(cString: reason), operation: operation())
}

/// The error GSL recorded on this thread when an allocator returned NULL (out of memory if it said nothing).
func allocationFailure(_ operation: String) -> GSLError {
    var recorded: Int32 = 0
    let reason = String(cString: cm_take_last_error(&recorded))
    return GSLError(status: recorded != 0 ? recorded : Int32(GSL_ENOMEM), reason: reason, operation: operation)
}

/// Drops the error GSL recorded on this thread, when a better one is already in hand.
func discardLastError() {
    var recorded: Int32 = 0
    _ = cm_take_last_error(&recorded)
}

/// GSL's status codes come into Swift as `Int`; its functions return `Int32`.
let gslSuccess = Int32(GSL_SUCCESS)
let gslBadFunction = Int32(GSL_EBADFUNC)
