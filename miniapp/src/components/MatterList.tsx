import { View } from '@tarojs/components';
import { DEPARTMENT_NAMES, type Matter } from '@flexins/shared';
import { HOME_TEXT } from '../text';
import './MatterList.css';

interface MatterListProps {
  matters: readonly Matter[];
}

/** The matters of the one thing, numbered, each with the department that handles it. */
export function MatterList({ matters }: MatterListProps) {
  return (
    <View className="matter-list" role="list">
      {matters.map((matter, index) => (
        <View key={matter.id} className="matter-list__item" role="listitem">
          <View className="matter-list__number" aria-hidden="true">
            {index + 1}
          </View>
          <View className="matter-list__body">
            <View className="matter-list__name">{matter.name}</View>
            <View className="matter-list__department">
              {HOME_TEXT.departmentPrefix}
              {DEPARTMENT_NAMES[matter.department]}
            </View>
          </View>
        </View>
      ))}
    </View>
  );
}
