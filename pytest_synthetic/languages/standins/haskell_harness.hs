-- What a Haskell program ends with: haskell.py writes the module header (with the four qualified
-- imports below), the reference, the assertions and their synthetic_checks_main, then HARNESS.
-- CHECKS stands in for the assertions here, so that the file compiles alone.
module Main (main) where
import qualified Prelude as SyntheticPrelude
import qualified System.IO as SyntheticIO
import qualified Control.Exception as SyntheticException
import qualified System.Exit as SyntheticExit
-- SYNTHETIC_PART_CHECKS
synthetic_checks_main :: SyntheticPrelude.IO ()
synthetic_checks_main = SyntheticPrelude.return ()
-- SYNTHETIC_PART_HARNESS

-- Added by pytest-synthetic: the harness (the Prelude only qualified, to clash with nothing).
synthetic_expect :: SyntheticPrelude.String -> SyntheticPrelude.Bool -> SyntheticPrelude.IO ()
synthetic_expect what ok =
    if ok then SyntheticPrelude.return ()
    else SyntheticPrelude.ioError (SyntheticPrelude.userError ("assertion failed: " SyntheticPrelude.++ what))

main :: SyntheticPrelude.IO ()
main = do
    synthetic_done <- SyntheticPrelude.readFile "SYNTHETIC_FILL_COMPLETION_PATH"
    SyntheticPrelude.length synthetic_done `SyntheticPrelude.seq` SyntheticPrelude.return ()
    SyntheticException.handle (\SyntheticFinished -> SyntheticPrelude.return ()) synthetic_checks_main
    SyntheticIO.hFlush SyntheticIO.stdout
    SyntheticPrelude.putStrLn ("\n" SyntheticPrelude.++ synthetic_done)
    SyntheticIO.hFlush SyntheticIO.stdout

-- The exit that ends the assertions; a successful one completes the run.
data SyntheticFinished = SyntheticFinished deriving SyntheticPrelude.Show

instance SyntheticException.Exception SyntheticFinished

syntheticExitWith :: SyntheticExit.ExitCode -> SyntheticPrelude.IO a
syntheticExitWith SyntheticExit.ExitSuccess = SyntheticException.throwIO SyntheticFinished
syntheticExitWith code = SyntheticExit.exitWith code
