import { View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { onSaveStatus, saveStatus, type SaveStatus } from '../services/draft';

function words(status: SaveStatus): string {
  switch (status.kind) {
    case 'saving':
      return '正在保存草稿…';
    case 'saved': {
      const at = new Date(status.at);
      return `已自动保存草稿（${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}），换手机也能接着填`;
    }
    case 'unsaved':
      return '网络不好，草稿先存在这部手机上，网络恢复后会自动保存';
    default:
      return '填写的内容会自动保存';
  }
}

/** Says whether what was typed is safe. */
export function SaveStatusLine() {
  const [status, setStatus] = useState(saveStatus);
  useEffect(() => onSaveStatus(setStatus), []);
  return (
    <View className="status-line" role="status" data-testid="save-status" data-state={status.kind}>
      {words(status)}
    </View>
  );
}
