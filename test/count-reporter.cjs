// Ends the run with the plain "N passed, N failed, N skipped" line that CI reads.
class CountReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped, numTodoTests: todo } = results;
    const suitesFailed = results.numFailedTestSuites;
    console.log(
      `\njest: ${passed} passed, ${failed + (failed === 0 && suitesFailed ? suitesFailed : 0)} failed, ${skipped + todo} skipped`,
    );
  }
}
module.exports = CountReporter;
