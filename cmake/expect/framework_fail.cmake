# Expected output of the framework_fail image: each case fails, is ignored or times out in a known way.
# It must never be loosened to make a run pass: it is what proves the framework reports failures.
set(EXPECT_EXIT nonzero)
set(f "TEST\\(FrameworkFail, ")
set(at "[^ ]*selftest_fail\\.c:[0-9]+: ")
set(EXPECT_LINES
    "${f}AssertEqReportsBothValues\\) FAIL ${at}1 == two: expected 1, got 2"
    "${f}FirstFailureEndsTheCase\\) FAIL ${at}first 7"
    "${f}IgnoreGivesTheReason\\) IGNORE not on this board"
    "${f}HungCaseTimesOut\\) FAIL ${at}timed out after [0-9]+ ms"
    "${f}LeakIsDetected\\) FAIL ${at}heap changed by -[0-9]+ bytes \\(leak\\?\\)"
    "${f}UnexpectedConfigAssertFails\\) FAIL ${at}configASSERT failed"
    "${f}MissingExpectedAssertFails\\) FAIL ${at}expected an assertion from zero\\+\\+"
    "${f}FailureInHelperTaskEndsTheCase\\) FAIL ${at}from helper"
    "${f}FailureInIsrEndsTheCase\\) FAIL ${at}from isr 5"
    "${f}StrEqShowsBothStrings\\) FAIL ${at}expected \"abc\", got \"abd\""
    "${f}MemEqShowsTheOffset\\) FAIL ${at}a and b differ at byte 2"
    "${f}MessageFormatting\\) FAIL ${at}\\[  -42\\|ab  \\|002a\\|-1234567890123\\|77\\|z\\|%\\|4000000000\\]"
    "${f}RangeShowsTheBounds\\) FAIL ${at}4: 4 not in \\[1, 3\\]"
    "${f}RunnerGoesOnAfterFailures\\) PASS"
    "14 Tests 12 Failures 1 Ignored"
    "FAIL")
set(REJECT_LINES "went on after" "second$")
