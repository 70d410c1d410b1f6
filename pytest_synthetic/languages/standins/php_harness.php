<?php
// What a PHP program gets around an entry's code: php.py writes PROLOGUE (reads the completion
// secret; php://fd, as PHP resolves /dev/fd/3 through realpath to "pipe:[...]" and fails to
// open it), EXIT when the assertions end with an exit, the reference, the assertions, then
// EPILOGUE (prints the secret last).
// SYNTHETIC_PART_PROLOGUE
$__synthetic_secret = trim(file_get_contents('php://fd/SYNTHETIC_FILL_COMPLETION_FD'));
// SYNTHETIC_PART_EXIT
function __synthetic_exit($status = 0) {
    if (!is_int($status)) {
        echo $status;
        $status = 0;
    }
    if ($status === 0) {
        echo "\n", $GLOBALS['__synthetic_secret'], "\n";
    } else {
        fwrite(STDERR, "the assertions exited with status $status\n");
    }
    exit($status);
}
// SYNTHETIC_PART_EPILOGUE

echo "\n", $__synthetic_secret, "\n";
