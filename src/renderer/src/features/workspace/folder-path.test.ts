// The folder suggested for a new workspace follows its name on each platform.
import { describe, expect, it } from 'vitest';
import { suggestFolder } from './folder-path';

describe('suggestFolder', () => {
  it('joins the parent and the name', () => {
    expect(suggestFolder('/home/ana/Documents', 'Contracts QA', 'linux')).toBe('/home/ana/Documents/Contracts QA');
    expect(suggestFolder('/home/ana/Documents/', 'x', 'linux')).toBe('/home/ana/Documents/x');
    expect(suggestFolder('C:\\Users\\ana\\Documents', 'Claims', 'win32')).toBe('C:\\Users\\ana\\Documents\\Claims');
  });

  it('replaces characters folder names cannot hold', () => {
    expect(suggestFolder('/d', 'Q1/Q2: "risks"?', 'linux')).toBe('/d/Q1-Q2- -risks-');
  });
});
