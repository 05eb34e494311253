import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { FileInfo } from '../lib/types';
import { DatasetCard } from './DatasetCard';

vi.mock('./ProfilePanel', () => ({ ProfilePanel: () => null }));

const base: FileInfo = {
  filename: 'banks.csv',
  row_count: 2,
  column_count: 2,
  columns: ['Bank Name', 'City'],
  preview: [{ 'Bank Name': 'First Bank – Main', City: 'Springfield' }],
};

describe('DatasetCard', () => {
  it('says how the file was read: encoding and skipped lines', () => {
    render(<DatasetCard sessionId="s" file={{ ...base, encoding: 'windows-1252', skipped_lines: 1, notes: ['read as Windows-1252', '1 line above the header, not part of the table, was skipped'] }} />);
    const list = screen.getByRole('list', { name: 'How the file was read' });
    expect(list.textContent).toContain('read as Windows-1252');
    expect(list.textContent).toContain('above the header');
  });

  it('says nothing when the file was read as it was', () => {
    render(<DatasetCard sessionId="s" file={{ ...base, encoding: 'utf-8', notes: [] }} />);
    expect(screen.queryByRole('list', { name: 'How the file was read' })).toBeNull();
  });
});
