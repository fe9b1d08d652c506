import { parseCommand, parseFileCommands } from '../src/workflow-commands';

describe('workflow commands', () => {
  it('parses commands with escaped properties and data', () => {
    expect(parseCommand('::error file=a%2Cb.ts,line=3::bad%0Avalue')).toEqual({
      command: 'error',
      properties: { file: 'a,b.ts', line: '3' },
      message: 'bad\nvalue',
    });
    expect(parseCommand('plain line')).toBeUndefined();
  });

  it('parses name=value and heredoc file commands, later values winning', () => {
    const text = 'a=1\nb<<ghadelimiter_x\nline 1\nline 2\nghadelimiter_x\na=2\n';
    expect(parseFileCommands(text)).toEqual({ a: '2', b: 'line 1\nline 2' });
    expect(() => parseFileCommands('b<<EOF\nno end')).toThrow('no closing delimiter');
  });
});
