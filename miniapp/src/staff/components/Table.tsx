import { View } from '@tarojs/components';
import type { ReactNode } from 'react';

/** A table's header row: shown on a wide screen; on a phone each cell carries its own label instead. */
export function HeadRow({
  columns,
}: {
  columns: readonly (string | { label: string; wide?: boolean; narrow?: boolean })[];
}) {
  return (
    <View className="table__row table__head" role="row">
      {columns.map((c) => {
        const column = typeof c === 'string' ? { label: c } : c;
        return (
          <View key={column.label} className={cellClass(column)} role="columnheader">
            {column.label}
          </View>
        );
      })}
    </View>
  );
}

function cellClass({ wide, narrow }: { wide?: boolean; narrow?: boolean }): string {
  return `table__cell${wide ? ' table__cell--wide' : ''}${narrow ? ' table__cell--narrow' : ''}`;
}

/** One cell; its label shows on a phone, where the header row is hidden. */
export function Cell({
  label,
  children,
  wide,
  narrow,
}: {
  label: string;
  children?: ReactNode;
  wide?: boolean;
  narrow?: boolean;
}) {
  return (
    <View className={cellClass({ wide, narrow })} role="cell">
      <View className="cell__label" aria-hidden="true">
        {label}
      </View>
      {children}
    </View>
  );
}
