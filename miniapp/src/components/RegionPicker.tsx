import { View } from '@tarojs/components';
import { useState } from 'react';
import { cityOf, NINGXIA_CITIES } from '@flexins/shared';
import { ChoiceGroup, FieldError } from './controls';

interface RegionPickerProps {
  id: string;
  /** The county field's title, e.g. 邮寄地址所在县（市、区）. */
  label: string;
  value: string | undefined;
  onChange: (countyCode: string) => void;
  error?: string;
}

/** A Ningxia county in two taps: the city, then the county (市 → 县、区). */
export function RegionPicker({ id, label, value, onChange, error }: RegionPickerProps) {
  const [cityCode, setCityCode] = useState<string | undefined>(value ? cityOf(value)?.code : undefined);
  const city = NINGXIA_CITIES.find((c) => c.code === cityCode);
  return (
    <View className="region-picker">
      <ChoiceGroup
        id={`${id}-city`}
        label={`${label}：先选市`}
        options={NINGXIA_CITIES.map((c) => ({ value: c.code, label: c.name }))}
        value={cityCode}
        onChange={setCityCode}
      />
      {city && (
        <ChoiceGroup
          id={id}
          label={`${label}：再选县（市、区）`}
          options={city.counties.map((c) => ({ value: c.code, label: `${city.name}${c.name}` }))}
          value={value && cityOf(value)?.code === city.code ? value : undefined}
          onChange={onChange}
        />
      )}
      {error && <FieldError id={`${id}-error`} message={error} />}
    </View>
  );
}
