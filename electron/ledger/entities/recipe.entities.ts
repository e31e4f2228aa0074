import { big, entity, int, pk } from './columns';

/** One version of a recipe's component list, in force from `effective_from` until the recipe's next version. */
export const RecipeVersionEntity = entity({
  name: 'RecipeVersion',
  tableName: 'recipe_versions',
  columns: { id: pk(), recipe_id: int(), effective_from: big(), created_at: big(), created_by: int(true) },
  uniques: [{ name: 'UQ_recipe_versions_recipe_from', columns: ['recipe_id', 'effective_from'] }],
  relations: {
    recipe: { type: 'many-to-one', target: 'Product', joinColumn: { name: 'recipe_id', foreignKeyConstraintName: 'FK_recipe_versions_recipe' } },
    creator: { type: 'many-to-one', target: 'User', joinColumn: { name: 'created_by', foreignKeyConstraintName: 'FK_recipe_versions_user' } },
  },
});

/** A component line of a recipe version: quantity in the component's smallest unit per one whole unit of the recipe product. */
export const RecipeVersionComponentEntity = entity({
  name: 'RecipeVersionComponent',
  tableName: 'recipe_version_components',
  columns: {
    version_id: { type: 'integer', primary: true },
    component_id: { type: 'integer', primary: true },
    qty_per_unit: big(),
  },
  indices: [{ name: 'IDX_recipe_version_components_component', columns: ['component_id'] }],
  relations: {
    version: { type: 'many-to-one', target: 'RecipeVersion', joinColumn: { name: 'version_id', foreignKeyConstraintName: 'FK_recipe_version_components_version' } },
    component: { type: 'many-to-one', target: 'Product', joinColumn: { name: 'component_id', foreignKeyConstraintName: 'FK_recipe_version_components_component' } },
  },
});
