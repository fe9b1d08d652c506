// Copied from docker/metadata-action __tests__/image.test.ts (Apache-2.0, see NOTICE); only the harness differs.
import { describe, expect, test } from '@jest/globals';
import { InputError } from '@deploy-actions/toolkit';

import { type ImageName as Image, parseImages as Transform } from '../../src/metadata';

describe('transform', () => {
  // prettier-ignore
  test.each([
    [
      [`name/foo`],
      [
        {
          name: `name/foo`,
          enable: true,
        },
      ] as Image[],
      false,
    ],
    [
      [`name/foo,name/bar`],
      [
        {
          name: `name/foo`,
          enable: true,
        },
        {
          name: `name/bar`,
          enable: true,
        },
      ] as Image[],
      false,
    ],
    [
      [`name/foo`, `name/bar`],
      [
        {
          name: `name/foo`,
          enable: true,
        },
        {
          name: `name/bar`,
          enable: true,
        },
      ] as Image[],
      false,
    ],
    [
      [`name=name/bar`, `name/foo,enable=false`, `name=ghcr.io/UserName/Foo,enable=true`],
      [
        {
          name: `name/bar`,
          enable: true,
        },
        {
          name: `name/foo`,
          enable: false,
        },
        {
          name: `ghcr.io/UserName/Foo`,
          enable: true,
        },
      ] as Image[],
      false,
    ],
    [[`value=name/foo`], undefined, true],
    [[`name/foo,enable=bar`], undefined, true],
    [[`name/foo,bar=baz`], undefined, true],
    [[`name=,enable=true`], undefined, true],
    [[`name/foo,name=name/bar,enable=true`], undefined, true],
  ])('given %p', async (l: string[], expected: Image[] | undefined, invalid: boolean) => {
    if (invalid) {
      expect(() => Transform(l)).toThrow(InputError);
    } else {
      expect(Transform(l)).toEqual(expected);
    }
  });
});
