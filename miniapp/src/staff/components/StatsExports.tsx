import { View } from '@tarojs/components';
import { useState } from 'react';
import { ActionButton, ChoiceGroup, ErrorNotice, SectionTitle } from '../../components/controls';
import { staffApi, type StatsQuery, type StatsTable } from '../services/api';
import { saveFile } from '../services/download';
import { staffMessageOf } from '../services/http';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV = 'text/csv;charset=utf-8';

const TABLES: readonly { value: StatsTable; label: string }[] = [
  { value: 'region', label: '各地' },
  { value: 'matter', label: '各事项' },
  { value: 'channel', label: '办理渠道' },
  { value: 'month', label: '各月' },
];

const today = () => new Date().toISOString().slice(0, 10);

/** A file one export makes. */
interface ExportFile {
  name: string;
  body: string | ArrayBuffer;
  type: string;
}

/**
 * 导出: the figures shown (the same region and months) as an Excel workbook
 * or one table as CSV, and the problem list with its deadlines. Each export
 * is written to the audit trail; none holds a citizen's personal data.
 */
export function StatsExports({ query, regionName }: { query: StatsQuery; regionName: string }) {
  const [table, setTable] = useState<StatsTable>('region');
  const [busy, setBusy] = useState<string>();
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<string>();

  async function run(id: string, make: () => Promise<ExportFile>) {
    setBusy(id);
    setDone(undefined);
    setError(undefined);
    try {
      const file = await make();
      await saveFile(file.name, file.body, file.type);
      setDone(`已导出 ${file.name}（导出操作已记入审计日志）。`);
    } catch (err) {
      setError(staffMessageOf(err));
    } finally {
      setBusy(undefined);
    }
  }

  const region = query.regionCode ?? 'own';
  const tableLabel = TABLES.find((t) => t.value === table)!.label;
  /** Each export: its button, and the file it makes. */
  const files: Record<string, { label: string; make: () => Promise<ExportFile> }> = {
    'stats-xlsx': {
      label: '导出统计（Excel）',
      make: async () => ({
        name: `监督统计-${region}-${today()}.xlsx`,
        body: await staffApi.exportStatsWorkbook(query),
        type: XLSX,
      }),
    },
    'stats-csv': {
      label: '导出这张表（CSV）',
      make: async () => ({
        name: `监督统计-${tableLabel}-${region}-${today()}.csv`,
        body: await staffApi.exportStatsCsv(query, table),
        type: CSV,
      }),
    },
    'problems-xlsx': {
      label: '导出问题清单（Excel）',
      make: async () => ({
        name: `问题清单-${today()}.xlsx`,
        body: await staffApi.exportProblemsWorkbook(),
        type: XLSX,
      }),
    },
    'problems-csv': {
      label: '导出问题清单（CSV）',
      make: async () => ({ name: `问题清单-${today()}.csv`, body: await staffApi.exportProblemsCsv(), type: CSV }),
    },
  };
  const button = (id: string, kind?: 'secondary') => (
    <ActionButton
      key={id}
      small
      kind={kind}
      busy={busy === id}
      testId={`export-${id}`}
      onTap={() => void run(id, files[id]!.make)}
    >
      {files[id]!.label}
    </ActionButton>
  );
  return (
    <View className="panel" data-testid="exports">
      <SectionTitle>导出</SectionTitle>
      <View className="text">
        导出{regionName}的统计（与下面看板的地区和月份相同）带到会上用：Excel 每类一张表，附说明页；CSV 一次一张表，可用
        Excel 打开。问题清单连同办理期限一起导出。不含群众的个人信息，每次导出都记入审计日志。
      </View>
      <View className="row">{button('stats-xlsx')}</View>
      <ChoiceGroup id="export-table" label="CSV 导出哪张表" options={TABLES} value={table} onChange={setTable} />
      <View className="row">{['stats-csv', 'problems-xlsx', 'problems-csv'].map((id) => button(id, 'secondary'))}</View>
      {done && (
        <View className="notice notice--info" role="status" data-testid="export-done">
          <View className="notice__text">✓ {done}</View>
        </View>
      )}
      {error && <ErrorNotice message={error} />}
    </View>
  );
}
